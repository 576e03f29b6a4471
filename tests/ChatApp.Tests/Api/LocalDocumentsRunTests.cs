using System.Collections.Concurrent;
using static Agents.Samples.ChatApp.Tests.Fakes.BatsRoles;

namespace Agents.Samples.ChatApp.Tests.Api;

/// <summary>
/// The chat app's default set-up (local search over a documents folder, plain HTTP browser, no loopback): a planner run
/// with a scripted model searches the local documents, browses a hit and reads it; a URL refused before anything was
/// fetched costs no browse unit.
/// </summary>
public sealed partial class LocalDocumentsRunTests
{
    [Theory]
    [InlineData("bats")]
    [InlineData("react")]
    public async Task A_run_searches_local_documents_browses_a_hit_and_reads_it(string strategy)
    {
        var seen = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var model = new ScriptedChatClient((messages, options) => Next(messages, options, seen));
        await using var app = await TestApp.StartOverFoldersAsync(s => s.AddSingleton<IChatClient>(model));
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        using var response = await http.PostAsync(
            $"api/conversations/{id}/messages",
            Json("{\"message\":\"Which embedded .NET search library?\",\"strategy\":\"" + strategy + "\",\"budget\":{\"searchUnits\":3,\"browseUnits\":3,\"maxTokens\":20000,\"maxCostUsd\":0.1}}"));
        response.EnsureSuccessStatusCode();
        var events = ParseEvents(await response.Content.ReadAsStringAsync());

        Assert.True(seen.ContainsKey("c3"), "the model never got the second browse result: " + string.Join("\n", events.Select(e => e.Name + " " + e.Data.GetRawText())));
        var all = string.Join("\n", seen.Values);
        Assert.Contains("refused", seen["c2"], StringComparison.Ordinal);
        Assert.Contains("Lucene.Net is an embedded full-text search library", seen["c3"], StringComparison.Ordinal);
        string docs = app.DocumentsFolder!;
        Assert.DoesNotContain(docs, all, StringComparison.Ordinal);
        Assert.DoesNotContain(docs, string.Join("\n", events.Select(e => e.Data.GetRawText())), StringComparison.Ordinal);
        var browse = events.Last(e => e.Name == "budget").Data.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "browse");
        Assert.Equal(1, browse.GetProperty("used").GetInt64());
        Assert.Contains("Lucene.Net", events.Single(e => e.Name == "answer").Data.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The scripted model: plan, search, browse a refused URL, browse the hit, answer; verifier and judge accept.</summary>
    /// <remarks>Tool results are recorded when first seen: BATS later replaces old tool results by a placeholder.</remarks>
    private static ChatResponse Next(IReadOnlyList<ChatMessage> messages, ChatOptions? options, ConcurrentDictionary<string, string> seen)
    {
        if (BatsRoles.Answer(messages, "search and read the library docs", "searched and read") is { } role)
        {
            return role;
        }

        foreach (var result in messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>())
        {
            seen.TryAdd(result.CallId, result.Result?.ToString() ?? string.Empty);
        }

        if (options?.Tools is not { Count: > 0 } || seen.ContainsKey("c3"))
        {
            return Reply("<answer>Lucene.Net</answer>\nAnswer: Lucene.Net");
        }

        if (!seen.TryGetValue("c1", out var found))
        {
            return Call("c1", "web_search", "queries", "embedded full-text search library");
        }

        if (!seen.ContainsKey("c2"))
        {
            // Refused before anything is fetched (loopback is not allowed by default): must cost nothing.
            return Call("c2", "browser_browse", "urls", "http://127.0.0.1:9/private");
        }

        var hit = HitUrl().Match(found);
        return Call("c3", "browser_browse", "urls", hit.Success ? hit.Groups[1].Value : "no-hit-in-search-results");
    }

    private static ChatResponse Call(string id, string tool, string argument, string value) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(id, tool, new Dictionary<string, object?> { [argument] = new[] { value }, ["goal"] = "which library" })]))
        {
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 },
        };

    private static List<(string Name, JsonElement Data)> ParseEvents(string text)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            events.Add((lines[0]["event: ".Length..], JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement.Clone()));
        }

        return events;
    }

    // The URL line of the lucene.md hit in the search tool's text (whatever its scheme).
    [GeneratedRegex(@"(?m)^\s+(\S+lucene\.md)\s*$")]
    private static partial Regex HitUrl();
}
