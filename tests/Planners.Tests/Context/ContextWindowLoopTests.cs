using Agents.Planners.Context;
using Agents.Planners.Scaling;

namespace Agents.Planners.Tests.Context;

/// <summary>Long runs with large pages against models that refuse requests over their context window.</summary>
public sealed class ContextWindowLoopTests
{
    private const int Window = 4096;

    /// <summary>About 1,500 tokens (words) and 18,000 characters: two fit a 4k window, three do not.</summary>
    internal static string Page(int n, int words = 1500) => string.Join(' ', Enumerable.Range(0, words).Select(k => $"page{n}word{k}"));

    internal static AIFunction Browse(int words = 1500) => AIFunctionFactory.Create(
        (int page) => Page(page, words),
        "browse",
        "Reads a page.");

    private static ChatResponse BrowseOrAnswer(ChatCall call, int pages) => call.Index < pages
        ? Reply.Tool("browse", new Dictionary<string, object?> { ["page"] = call.Index })
        : Reply.Text("<answer>42</answer><confidence>0.9</confidence>");

    [Fact]
    public async Task ReAct_EightLargePages_StaysInTheWindowTheClientAnnounces()
    {
        var model = new WindowedChatClient(new ScriptedChatClient(call => BrowseOrAnswer(call, 8)), Window, announce: true);
        var agent = new ReActAgent(model, [Browse()], TestTools.Tracker());

        AgentRunResult result = await agent.RunAsync("What is the answer?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("42", result.Answer);
        Assert.Equal(9, model.Requests);
        Assert.True(model.MaxPromptTokens <= Window - new ContextWindow(Window).ReplyReserveTokens, $"prompt had {model.MaxPromptTokens} tokens");
        Assert.Equal(8, result.Trajectory.ToolCalls.Count);
        Assert.All(result.Trajectory.ToolCalls, c => Assert.Contains("word1499", c.Result, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReAct_OptionWindowWithEstimate_KeepsNewestPageAndCondensesOlderOnes()
    {
        var inner = new ScriptedChatClient(call => BrowseOrAnswer(call, 6));
        var model = new WindowedChatClient(inner, 16_000, WindowedChatClient.FourCharsPerToken);
        var agent = new ReActAgent(model, [Browse()], TestTools.Tracker(), new ReActOptions { ContextWindow = new ContextWindow(16_000, 1_000) });

        AgentRunResult result = await agent.RunAsync("What is the answer?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        ChatCall last = inner.Calls[^1];
        Assert.Contains("page5word1499", last.AllText + ToolText(last), StringComparison.Ordinal);
        Assert.Contains("condensed to fit the context window", ToolText(last), StringComparison.Ordinal);
        Assert.All(inner.Calls, c => Assert.True(c.Options!.MaxOutputTokens <= 1_000));
    }

    [Fact]
    public async Task ReAct_PageLargerThanTheWholeWindow_IsCutInsteadOfFailingTheRun()
    {
        var inner = new ScriptedChatClient(call => BrowseOrAnswer(call, 2));
        var model = new WindowedChatClient(inner, 1_024, announce: true);
        var agent = new ReActAgent(model, [Browse()], TestTools.Tracker());

        AgentRunResult result = await agent.RunAsync("What is the answer?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.True(model.MaxPromptTokens <= 1_024 - 256, $"prompt had {model.MaxPromptTokens} tokens");
        Assert.Contains("page1word0", ToolText(inner.Calls[^1]), StringComparison.Ordinal);
        Assert.DoesNotContain("page1word1499", ToolText(inner.Calls[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bats_LongRunWithLargePages_StaysInTheWindow()
    {
        int acts = 0;
        var script = new BatsScript
        {
            ActFallback = _ => Interlocked.Increment(ref acts) <= 6
                ? Reply.Tool("browse", new Dictionary<string, object?> { ["page"] = acts })
                : BatsScript.Answer("Ada", "1 [x] Found Ada"),
        };
        script.Verify(BatsScript.Verdict("SUCCESS"));
        var model = new WindowedChatClient(script.Client, Window);
        var agent = new BatsAgent(model, [Browse()], TestTools.Tracker(), new BatsOptions { ContextWindow = new ContextWindow(Window, 512) { CountTokens = WindowedChatClient.Words } });

        AgentRunResult result = await agent.RunAsync("Which physicist?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("Ada", result.Answer);
        Assert.True(model.MaxPromptTokens <= Window - 512, $"prompt had {model.MaxPromptTokens} tokens");
        Assert.Equal(6, result.Trajectory.ToolCalls.Count);
    }

    [Fact]
    public async Task BestOfN_ReActSamplesWithLargePages_StayInTheWindow()
    {
        var inner = new ScriptedChatClient(call => call.System.StartsWith("You grade a candidate answer", StringComparison.Ordinal)
            ? Reply.Text("""{"score": 0.9, "reason": "ok"}""")
            : call.Messages.Count(m => m.Role == ChatRole.Tool) < 5
                ? Reply.Tool("browse", new Dictionary<string, object?> { ["page"] = call.Messages.Count })
                : Reply.Text("<answer>42</answer>"));
        var model = new WindowedChatClient(inner, Window, announce: true);
        var strategy = new BestOfNStrategy(new ReActAgent(model, [Browse()], TestTools.Tracker()), model, new BestOfNOptions { Samples = 2 });

        AgentRunResult result = await strategy.RunAsync("What is the answer?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("42", result.Answer);
        Assert.All(result.SubRuns, r => Assert.Equal(AgentRunStatus.Answered, r.Status));
        Assert.True(model.MaxPromptTokens <= Window - new ContextWindow(Window).ReplyReserveTokens, $"prompt had {model.MaxPromptTokens} tokens");
    }

    internal static string ToolText(ChatCall call) => string.Join("\n", call.Messages
        .SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString()));
}
