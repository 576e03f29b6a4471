using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Agents.Plugins.Memory;
using Microsoft.Extensions.AI;

namespace Agents.Planners.DeepResearch.TestHost;

/// <summary>
/// Plays both agents of the workflow from the state it is shown: the stage (from the offered tools), the
/// round (from the user message) and the step (tool results so far in this round). It reads the workspace
/// from disk like a model would after reading files, so it works the same after a restart.
/// </summary>
public sealed partial class ResearchScript(string workspaceRoot)
{
    public static readonly string[] Topics = ["solar", "wind", "storage"];

    /// <summary>Gets or sets the builder round that writes the stage-complete marker.</summary>
    public int CompleteAtRound { get; set; } = 2;

    /// <summary>Gets or sets whether the first section cites a source that does not exist (fixed in the check round).</summary>
    public bool FirstDraftHasDanglingCitation { get; set; }

    /// <summary>Gets or sets a Report Writer round in which the script blocks forever after its first tool call (0 for none).</summary>
    public int HangInWriterRound { get; set; }

    /// <summary>Gets or sets what to call just before hanging (the host prints a line the test waits for).</summary>
    public Action? OnHang { get; set; }

    public static UsageDetails Usage => new() { InputTokenCount = 1000, OutputTokenCount = 200, TotalTokenCount = 1200 };

    public ChatResponse Respond(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var user = messages.First(m => m.Role == ChatRole.User).Text;
        var round = int.Parse(RoundLine().Match(user).Groups[1].Value, CultureInfo.InvariantCulture);
        var step = messages.Count(m => m.Role == ChatRole.Tool);
        var lastTool = messages.LastOrDefault(m => m.Role == ChatRole.Tool)?.Contents.OfType<FunctionResultContent>().Select(r => r.Result?.ToString()).FirstOrDefault() ?? string.Empty;
        var isBuilder = options?.Tools?.Any(t => t.Name == "search") == true;
        if (!isBuilder && round == HangInWriterRound && step == 1)
        {
            OnHang?.Invoke();
            Thread.Sleep(Timeout.Infinite);
        }

        return isBuilder ? Builder(round, step, lastTool) : Writer(user, step);
    }

    private ChatResponse Builder(int round, int step, string lastTool)
    {
        var topic = Topics[(round - 1) % Topics.Length];
        switch (step)
        {
            case 0:
                return Calls(Call("search", new() { ["queries"] = new[] { topic + " capacity" } }));
            case 1:
                var urls = Urls().Matches(lastTool).Select(m => m.Value).Distinct().Take(2).ToList();
                if (urls.Count == 0)
                {
                    return Text("Search gave nothing.");
                }

                if (round > 1)
                {
                    urls.Add(PageUrl(urls[0], "solar-1")); // Seen in round 1: must not be archived twice.
                }

                return Calls(Call("browse", new() { ["urls"] = urls.ToArray(), ["goal"] = "figures on " + topic }));
            case 2:
                var pages = Urls().Matches(lastTool).Select(m => new Uri(m.Value)).Distinct().ToList();
                var note = new StringBuilder().Append("# ").Append(topic).Append("\n\n");
                for (var i = 0; i < pages.Count; i++)
                {
                    note.Append(CultureInfo.InvariantCulture, $"- {topic} fact {i + 1} [{i + 1}]\n");
                }

                note.Append("\n## References\n");
                for (var i = 0; i < pages.Count; i++)
                {
                    note.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {SourceArchive.GetSourcePath(pages[i])} (reliability: high)\n");
                }

                return Calls(
                    Call("files_create_file", new() { ["path"] = $"knowledge_base/energy/{topic}.md", ["content"] = note.ToString(), ["overwrite"] = true }),
                    Call("files_append_file", new() { ["path"] = "index.md", ["content"] = $"- [COMPLETE] research {topic}" }),
                    Call("files_append_file", new() { ["path"] = "kb_log.md", ["content"] = $"Researched {topic}. Self-check: not yet [ALL COMPLETE], TODOs remain." }));
            case 3 when round >= CompleteAtRound:
                return Calls(Call("files_append_file", new() { ["path"] = "kb_log.md", ["content"] = "Self-check passed.\n[ALL COMPLETE]" }));
            default:
                return Text($"Round {round} done.");
        }
    }

    private ChatResponse Writer(string user, int step)
    {
        if (step > 0)
        {
            return Text("Done.");
        }

        var notes = Directory.Exists(Path.Combine(workspaceRoot, "knowledge_base", "energy"))
            ? Directory.GetFiles(Path.Combine(workspaceRoot, "knowledge_base", "energy"), "*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList()
            : [];
        if (user.Contains("write report_outline.md", StringComparison.Ordinal))
        {
            var outline = string.Join('\n', notes.Select(n => $"- [TODO] {Title(n!)}")) + "\n";
            return Calls(Call("files_create_file", new() { ["path"] = "report_outline.md", ["content"] = outline }));
        }

        var sectionMatch = SectionLine().Match(user);
        var sections = File.ReadAllLines(Path.Combine(workspaceRoot, "report_outline.md")).Where(l => l.Contains('[', StringComparison.Ordinal)).ToList();
        var written = sectionMatch.Success ? int.Parse(sectionMatch.Groups[1].Value, CultureInfo.InvariantCulture) : sections.Count;
        var report = BuildReport(sections.Take(written).Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 2)..]).ToList(), dangling: FirstDraftHasDanglingCitation && sectionMatch.Success);
        var updatedOutline = string.Join('\n', sections.Select((l, i) => i < written ? l.Replace("[TODO]", "[COMPLETE]", StringComparison.Ordinal) : l)) + "\n";
        return Calls(
            Call("files_create_file", new() { ["path"] = "report.md", ["content"] = report, ["overwrite"] = true }),
            Call("files_create_file", new() { ["path"] = "report_outline.md", ["content"] = updatedOutline, ["overwrite"] = true }),
            Call("files_append_file", new() { ["path"] = "report_log.md", ["content"] = sectionMatch.Success ? $"Wrote section {written}." : "Fixed citations." }));
    }

    private string BuildReport(List<string> titles, bool dangling)
    {
        var body = new StringBuilder("# Energy report\n\n");
        var references = new List<string>();
        foreach (var title in titles)
        {
            var note = File.ReadAllText(Path.Combine(workspaceRoot, "knowledge_base", "energy", title.ToLowerInvariant() + ".md"));
            var source = SourcePath().Match(note).Value;
            var number = references.IndexOf(source) + 1;
            if (number == 0)
            {
                references.Add(source);
                number = references.Count;
            }

            body.Append("## ").Append(title).Append("\n\n")
                .Append(CultureInfo.InvariantCulture, $"{title} is described in prose with a figure [{number}].")
                .Append(dangling ? " An unsupported claim [99]." : string.Empty)
                .Append("\n\n");
        }

        body.Append("## References\n");
        for (var i = 0; i < references.Count; i++)
        {
            body.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {references[i]}\n");
        }

        return body.ToString();
    }

    private static string Title(string note) => char.ToUpperInvariant(note[0]) + note[1..];

    private static string PageUrl(string toolText, string page)
    {
        var any = Urls().Match(toolText).Value;
        return any[..(any.IndexOf("/pages/", StringComparison.Ordinal) + 7)] + page;
    }

    private static FunctionCallContent Call(string name, Dictionary<string, object?> arguments) =>
        new(Guid.NewGuid().ToString("N"), name, arguments);

    private static ChatResponse Calls(params FunctionCallContent[] calls) =>
        new(new ChatMessage(ChatRole.Assistant, [.. calls])) { Usage = Usage, ModelId = "scripted" };

    private static ChatResponse Text(string text) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = Usage, ModelId = "scripted" };

    [GeneratedRegex(@"Current Round: (\d+) / Total")]
    private static partial Regex RoundLine();

    [GeneratedRegex(@"write section (\d+) of")]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/pages/[a-z0-9-]+")]
    private static partial Regex Urls();

    [GeneratedRegex(@"knowledge_base/sources/[a-z0-9-]+\.md")]
    private static partial Regex SourcePath();
}
