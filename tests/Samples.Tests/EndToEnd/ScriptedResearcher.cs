using System.Globalization;
using System.Text.RegularExpressions;
using Agents.Plugins.Memory;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>
/// The scripted model behind the fake OpenAI endpoint. It plays a careful link-following researcher over the offline
/// web: search the anchor entity, then browse one page per hop, but only through URLs it has actually been shown by
/// the tools (search hits or page links), and answer only when the target page it read contains the answer. So a
/// correct answer proves the whole pipeline (Lucene index, URL mapping, browse through Kestrel, budget) worked. It also
/// speaks the BATS planner/verifier/judge protocol and plays both stages of the deep-research workflow.
/// </summary>
internal sealed partial class ScriptedResearcher(OfflineCorpus corpus, string? workspaceRoot = null)
{
    public FakeReply Reply(FakeChatRequest r)
    {
        string system = r.System;
        if (system.Contains("<untrusted_text>", StringComparison.Ordinal))
        {
            // browse's page summariser (on by default with a model): quote the whole page back, so the researcher reads all of it.
            string user = r.Messages.Last(m => m.Role == "user").Content;
            int start = user.IndexOf("<untrusted_text>", StringComparison.Ordinal) + "<untrusted_text>".Length;
            int end = user.LastIndexOf("</untrusted_text>", StringComparison.Ordinal);
            return FakeReply.Say(end > start ? user[start..end].Trim() : "Nothing relevant.");
        }

        if (system.Contains("You are the planner", StringComparison.Ordinal))
        {
            return FakeReply.Say("<exploration>\n- the entity named in the question and its links\n</exploration>\n<verification>\n- the clues\n</verification>\n<plan>\n1 [ ] search the named entity\n2 [ ] follow the links hop by hop\n3 [ ] check the clues on the last page\n</plan>");
        }

        if (system.Contains("You are the verifier", StringComparison.Ordinal))
        {
            string proposed = ProposedAnswer().Match(r.AllText).Groups[1].Value.Trim();
            bool ok = proposed.Length > 0 && !proposed.Equals("None", StringComparison.OrdinalIgnoreCase);
            return FakeReply.Say(JsonSerializer.Serialize(new
            {
                verification = new[] { new { constraint = "the clues", status = ok ? "satisfied" : "unverifiable", evidence = "the last page read" } },
                decision = ok ? "SUCCESS" : "PIVOT",
                justification = ok ? "The page states it." : "No candidate.",
                trajectory_summary = "Followed the links from the named entity.",
                details = new { failure_analysis = string.Empty, useful_findings = string.Empty, recommendations = string.Empty, backtrack_to = string.Empty },
            }));
        }

        if (system.Contains("You are the judge", StringComparison.Ordinal))
        {
            return FakeReply.Say("""{"choice": 1, "confidence": 0.9, "reason": "the only verified answer"}""");
        }

        if (r.AllText.Contains("Current Round:", StringComparison.Ordinal))
        {
            return r.ToolNames.Contains("web_search") ? Builder(r) : Writer(r);
        }

        return Act(r);
    }

    private FakeReply Act(FakeChatRequest r)
    {
        var q = corpus.Questions.FirstOrDefault(x => r.AllText.Contains(x.Question, StringComparison.Ordinal));
        if (q is null)
        {
            return FakeReply.Say("<answer>None</answer>");
        }

        string toolText = string.Join("\n", r.ToolResults.Select(m => m.Content));
        int furthest = -1;
        for (int k = 0; k < q.EntityPath.Count; k++)
        {
            if (Regex.IsMatch(toolText, "<web_page url=\"[^\"]*/wiki/" + Regex.Escape(q.EntityPath[k]) + "\""))
            {
                furthest = k;
            }
        }

        if (furthest == q.EntityPath.Count - 1)
        {
            return FakeReply.Say(toolText.Contains(q.Answer, StringComparison.Ordinal) ? $"I read it on the page. <answer>{q.Answer}</answer> confidence: 0.9" : "<answer>None</answer>");
        }

        if (!r.ToolNames.Contains("browser_browse"))
        {
            return FakeReply.Say("<answer>None</answer>");
        }

        int next = furthest + 1;
        var url = Regex.Match(r.AllText, "https?://[^\\s\"<>()]+/wiki/" + Regex.Escape(q.EntityPath[next]) + "(?=[\\s\"<>)]|$)");
        if (url.Success)
        {
            return FakeReply.Call("browser_browse", JsonSerializer.Serialize(new { urls = new[] { url.Value }, goal = "follow the chain of the question" }));
        }

        if (next == 0 && r.ToolNames.Contains("web_search") && !r.Messages.Any(m => m.ToolCalls.Any(c => c.Name == "web_search")))
        {
            return FakeReply.Call("web_search", JsonSerializer.Serialize(new { queries = new[] { corpus.GetEntity(q.EntityPath[0]).Name } }));
        }

        return FakeReply.Say("<answer>None</answer>");
    }

    /// <summary>Context Builder: search the subject, browse two hits, write a note citing the archived sources, mark complete.</summary>
    private FakeReply Builder(FakeChatRequest r)
    {
        int step = r.Messages.Count(m => m.Role == "assistant" && m.ToolCalls.Count > 0);
        var subject = corpus.Entities.First(e => r.FirstUser.Contains(e.Name, StringComparison.Ordinal));
        string lastTool = r.ToolResults.Count > 0 ? r.ToolResults[^1].Content : string.Empty;
        switch (step)
        {
            case 0:
                return FakeReply.Call("web_search", JsonSerializer.Serialize(new { queries = new[] { subject.Name } }));
            case 1:
                var urls = WikiUrl().Matches(lastTool).Select(m => m.Value).Distinct().Take(2).ToArray();
                return urls.Length == 0 ? FakeReply.Say("Search found nothing.") : FakeReply.Call("browser_browse", JsonSerializer.Serialize(new { urls, goal = "facts about " + subject.Name }));
            case 2:
                var pages = Regex.Matches(lastTool, "<web_page url=\"([^\"]+)\"").Select(m => new Uri(m.Groups[1].Value)).Distinct().ToList();
                var note = new StringBuilder().Append("# ").Append(subject.Name).Append("\n\n");
                foreach (var (name, value) in subject.Attributes)
                {
                    note.Append(CultureInfo.InvariantCulture, $"- {name}: {value} [1]\n");
                }

                note.Append("\n## References\n");
                for (int i = 0; i < pages.Count; i++)
                {
                    note.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {SourceArchive.GetSourcePath(pages[i])}\n");
                }

                return new FakeReply(null,
                [
                    ("files_create_file", JsonSerializer.Serialize(new { path = $"knowledge_base/{subject.Id}/facts.md", content = note.ToString(), overwrite = true })),
                    ("files_append_file", JsonSerializer.Serialize(new { path = "index.md", content = $"- [COMPLETE] facts about {subject.Name}" })),
                    ("files_append_file", JsonSerializer.Serialize(new { path = "kb_log.md", content = "Wrote the facts note. Self-check passed.\n[ALL COMPLETE]" })),
                ]);
            default:
                return FakeReply.Say("Round done.");
        }
    }

    /// <summary>Report Writer: an outline with one section, then the section with a citation of the archived source.</summary>
    private FakeReply Writer(FakeChatRequest r)
    {
        int step = r.Messages.Count(m => m.Role == "assistant" && m.ToolCalls.Count > 0);
        if (step > 0)
        {
            return FakeReply.Say("Done.");
        }

        string user = r.FirstUser;
        if (user.Contains("write report_outline.md", StringComparison.Ordinal))
        {
            return FakeReply.Call("files_create_file", JsonSerializer.Serialize(new { path = "report_outline.md", content = "- [TODO] Facts\n", overwrite = true }));
        }

        var subject = corpus.Entities.First(e => user.Contains(e.Name, StringComparison.Ordinal));
        string note = File.ReadAllText(Path.Combine(workspaceRoot ?? throw new InvalidOperationException("no workspace"), "knowledge_base", subject.Id, "facts.md"));
        string source = Regex.Match(note, @"knowledge_base/sources/[^\s]+\.md").Value;
        string facts = string.Join(" ", subject.Attributes.Select(a => $"Its {a.Key.Replace('_', ' ')} is {a.Value}."));
        string report = $"# {subject.Name}\n\n## Facts\n\n{subject.Name} is described by the archived pages. {facts} [1]\n\n## References\n[1] {source}\n";
        return new FakeReply(null,
        [
            ("files_create_file", JsonSerializer.Serialize(new { path = "report.md", content = report, overwrite = true })),
            ("files_create_file", JsonSerializer.Serialize(new { path = "report_outline.md", content = "- [COMPLETE] Facts\n", overwrite = true })),
            ("files_append_file", JsonSerializer.Serialize(new { path = "report_log.md", content = "Wrote the Facts section." })),
        ]);
    }

    [GeneratedRegex(@"Proposed answer:\s*(.*)")]
    private static partial Regex ProposedAnswer();

    [GeneratedRegex(@"https?://127\.0\.0\.1:\d+/wiki/[a-z0-9-]+")]
    private static partial Regex WikiUrl();
}
