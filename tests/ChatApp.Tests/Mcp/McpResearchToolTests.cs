using ModelContextProtocol;

namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>
/// The MCP <c>research</c> tool in the real child process: its ReAct agent talks to a scripted model served
/// over HTTP by the chat app's OpenAI-compatible endpoint, searches with the server's search tool and
/// spends the server's budget.
/// </summary>
public sealed class McpResearchToolTests
{
    [Fact]
    public async Task Research_runs_a_budget_aware_agent_and_returns_answer_status_and_cost_then_is_refused_when_runs_are_spent()
    {
        var model = new ScriptedChatClient((messages, options) =>
        {
            if (messages[^1].Role == ChatRole.Tool)
            {
                var result = messages[^1].Contents.OfType<FunctionResultContent>().Single().Result?.ToString() ?? string.Empty;
                var cited = result.Contains("lucene.md", StringComparison.OrdinalIgnoreCase) ? "lucene.md" : "nothing";
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"Lucene.Net is an embedded full-text search library (source: {cited})."))
                {
                    Usage = new UsageDetails { InputTokenCount = 300, OutputTokenCount = 20 },
                };
            }

            Assert.Contains(options!.Tools!, t => t.Name == "web_search");
            return new ChatResponse(new ChatMessage(ChatRole.Assistant,
                [new FunctionCallContent("call_1", "web_search", new Dictionary<string, object?> { ["queries"] = new[] { "Lucene full-text" } })]))
            {
                Usage = new UsageDetails { InputTokenCount = 200, OutputTokenCount = 10 },
            };
        });
        await using var upstream = await CompletionsApp.StartAsync(model, "scripted");
        await using var client = await McpServerProcess.StartStdioAsync(McpServerProcess.OverFolders(
            "--Mcp:Model:Provider=openai", $"--Mcp:Model:Endpoint={upstream.BaseAddress}v1", "--Mcp:Model:ModelId=scripted", "--Mcp:Budget:ResearchRuns=1"));

        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "research");

        var research = await CallAsync(client, "research", new() { ["question"] = "What is Lucene.Net?" });

        var text = Text(research);
        Assert.False(research.IsError, text);
        Assert.Contains("Status: Answered", text, StringComparison.Ordinal);
        Assert.Contains("Answer: Lucene.Net is an embedded full-text search library (source: lucene.md).", text, StringComparison.Ordinal);
        Assert.Contains("Cost of this run: $", text, StringComparison.Ordinal);
        Assert.Contains("500 input tokens, 30 output tokens, 2 model calls, 1 search units", text, StringComparison.Ordinal);
        Assert.Equal(1, Category(research, "research").GetProperty("used").GetInt64());
        Assert.Equal(1, Category(research, "search").GetProperty("used").GetInt64());
        Assert.Equal(500, research.StructuredContent!.Value.GetProperty("inputTokens").GetInt64());
        Assert.Equal(2, model.Calls.Count);

        var again = await CallAsync(client, "research", new() { ["question"] = "And again?" });
        Assert.True(again.IsError);
        Assert.StartsWith("Refused: ", Text(again), StringComparison.Ordinal);
        Assert.Contains("research", Text(again), StringComparison.Ordinal);
        Assert.Equal(2, model.Calls.Count);
    }

    [Fact]
    public async Task Research_over_streamable_http_sends_a_progress_notification_per_step_before_its_result()
    {
        var model = new ScriptedChatClient((messages, options) => messages[^1].Role == ChatRole.Tool
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "Lucene.Net is a search library."))
            : new ChatResponse(new ChatMessage(ChatRole.Assistant,
                [new FunctionCallContent("call_1", "web_search", new Dictionary<string, object?> { ["queries"] = new[] { "Lucene" } })])));
        await using var upstream = await CompletionsApp.StartAsync(model, "scripted");
        await using var server = await McpServerProcess.StartHttpAsync(
            McpServerProcess.OverFolders("--Mcp:Model:Provider=openai", $"--Mcp:Model:Endpoint={upstream.BaseAddress}v1", "--Mcp:Model:ModelId=scripted"));
        await using var client = await McpExposureTests.ConnectAsync(McpServerProcess.Endpoint(server), null);
        var progress = new RecordingProgress();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var research = await client.CallToolAsync("research", new Dictionary<string, object?> { ["question"] = "What is Lucene.Net?" }, progress, cancellationToken: timeout.Token);

        Assert.False(research.IsError, Text(research));
        Assert.Contains("Answer: Lucene.Net is a search library.", Text(research), StringComparison.Ordinal);
        for (var i = 0; i < 100 && progress.Values.Count < 3; i++)
        {
            await Task.Delay(50);
        }

        var steps = progress.Values.ToArray();
        Assert.Contains(steps, v => v.Message == "Called web_search");
        Assert.Contains(steps, v => v.Message is not null && v.Message.StartsWith("Model replied", StringComparison.Ordinal));
        // The server numbers its steps 1, 2, 3, ... and sends them one after another; the MCP client SDK hands each
        // incoming message to its handler on its own task (fire and forget), so the order in which IProgress.Report
        // runs on this side is not defined. What must hold: every step reported once, numbered without gaps.
        Assert.Equal(Enumerable.Range(1, steps.Length).Select(i => (float)i), steps.Select(v => v.Progress).Order());
    }

    private sealed class RecordingProgress : IProgress<ProgressNotificationValue>
    {
        public System.Collections.Concurrent.ConcurrentQueue<ProgressNotificationValue> Values { get; } = new();

        public void Report(ProgressNotificationValue value) => Values.Enqueue(value);
    }
}
