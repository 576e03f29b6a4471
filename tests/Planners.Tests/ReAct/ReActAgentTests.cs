using Agents.Planners.Runs.Events;
using Microsoft.SemanticKernel;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace Agents.Planners.Tests.ReAct;

public sealed class ReActAgentTests
{
    private static string ToolResultText(ChatCall call) => string.Join("\n", call.Messages
        .SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString()));

    [Fact]
    public async Task DirectAnswer_IsAnsweredWithConfidenceAndCost()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var model = new ScriptedChatClient(_ => Reply.Text("<answer>Paris</answer><confidence>0.8</confidence>"));
        var agent = new ReActAgent(model, new TestTools().All, tracker);

        AgentRunResult result = await agent.RunAsync("Capital of France?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("Paris", result.Answer);
        Assert.Equal(0.8, result.Confidence);
        Assert.Equal(Reply.InputTokens, result.Cost.InputTokens);
        Assert.Equal(1, result.Cost.ModelCalls);
        Assert.True(result.Cost.CostUsd > 0);
        Assert.Equal(Reply.InputTokens, tracker.GetSnapshot().InputTokens);
        Assert.Equal("react", result.AgentName);
    }

    [Fact]
    public async Task ToolThenAnswer_PlainModeHidesBudget_ChargesUnits()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var tools = new TestTools();
        var model = new ScriptedChatClient(call => call.Index == 0 ? Reply.Search("a", "b") : Reply.Text("<answer>42</answer>"));
        var agent = new ReActAgent(model, tools.All, tracker);

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Equal("42", result.Answer);
        Assert.Equal(1, tools.SearchCalls);
        Assert.Equal(2, result.Cost.ToolUnits["search"]);
        Assert.Equal(2, tracker.GetSnapshot().GetCategory("search")!.Used);
        ToolCallRecord call = Assert.Single(result.Trajectory.ToolCalls);
        Assert.True(call.Executed);
        Assert.Equal(2, call.Units);
        Assert.DoesNotContain("<budget>", ToolResultText(model.Calls[1]));
        Assert.DoesNotContain("regime", model.Calls[0].System, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0.001m * 2 + (2 * 100m * 1 / 1_000_000m) + (2 * 10m * 2 / 1_000_000m), result.Cost.CostUsd);
    }

    [Fact]
    public async Task BudgetAware_AddsGuidelineAndBudgetBlockAfterEveryToolResult()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var model = new ScriptedChatClient(call => call.Index < 2 ? Reply.Search("x") : Reply.Text("<answer>done</answer>"));
        var agent = new ReActAgent(model, new TestTools().All, tracker, new ReActOptions { BudgetAware = true });

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Equal("react+budget", result.AgentName);
        Assert.Contains("HIGH", model.Calls[0].System, StringComparison.Ordinal);
        Assert.All(result.Trajectory.ToolCalls, c => Assert.Contains("<budget>", c.Result, StringComparison.Ordinal));
        Assert.Equal(2, result.Trajectory.ToolCalls.Count);
    }

    [Fact]
    public async Task UnknownToolAndFailingTool_BecomeClearToolResults()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var model = new ScriptedChatClient(call => call.Index switch
        {
            0 => Reply.Tool("teleport"),
            1 => Reply.Tool("flaky"),
            _ => Reply.Text("<answer>ok</answer>"),
        });
        var agent = new ReActAgent(model, new TestTools().All, tracker);

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Contains("there is no tool named 'teleport'", result.Trajectory.ToolCalls[0].Result, StringComparison.Ordinal);
        Assert.Contains("search", result.Trajectory.ToolCalls[0].Result, StringComparison.Ordinal);
        Assert.False(result.Trajectory.ToolCalls[0].Executed);
        Assert.Contains("backend down", result.Trajectory.ToolCalls[1].Result, StringComparison.Ordinal);
        Assert.False(result.Trajectory.ToolCalls[1].Executed);
        Assert.Contains("teleport", ToolResultText(model.Calls[1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadUnitArgument_IsToldToTheModel_NotCharged()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var model = new ScriptedChatClient(call => call.Index == 0
            ? Reply.Tool("search", new Dictionary<string, object?> { ["query"] = "oops" })
            : Reply.Text("<answer>x</answer>"));
        var agent = new ReActAgent(model, new TestTools().All, tracker);

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Contains("was not run", result.Trajectory.ToolCalls[0].Result, StringComparison.Ordinal);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("search")!.Used);
    }

    [Fact]
    public async Task LongToolResult_IsCutAndMarked_ContextReachesTheModel()
    {
        BudgetTracker tracker = TestTools.Tracker();
        AIFunction big = AIFunctionFactory.Create(() => new string('x', 5_000), "big");
        var model = new ScriptedChatClient(call => call.Index == 0 ? Reply.Tool("big") : Reply.Text("<answer>ok</answer>"));
        var agent = new ReActAgent(model, [big], tracker, new ReActOptions { MaxToolResultChars = 1_000 });

        AgentRunResult result = await agent.RunAsync(new AgentRunRequest("q?") { Context = "Earlier finding: Ada was born in 1950." });

        string text = result.Trajectory.ToolCalls[0].Result;
        Assert.StartsWith(new string('x', 1_000) + "\n[truncated: 4000 more characters]", text, StringComparison.Ordinal);
        Assert.Contains("Earlier finding: Ada was born in 1950.", model.Calls[0].LastUser, StringComparison.Ordinal);
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("default")!.Used);
    }

    [Fact]
    public async Task ModelThatNeverAnswers_GivesUpAtIterationCap()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 1_000);
        var model = new ScriptedChatClient(_ => Reply.Search("again"));
        var agent = new ReActAgent(model, new TestTools().All, tracker, new ReActOptions { MaxIterations = 4 });

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Equal(AgentRunStatus.GaveUp, result.Status);
        Assert.Null(result.Answer);
        Assert.Equal(4, model.Calls.Count);
        Assert.Contains("MaxIterations", result.StatusReason, StringComparison.Ordinal);
        Assert.Equal(4, result.Cost.ToolUnits["search"]);
    }

    [Fact]
    public async Task Exhaustion_Terminate_StopsWithBudgetExhausted()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 2);
        var tools = new TestTools();
        var model = new ScriptedChatClient(_ => Reply.Search("q"));
        var agent = new ReActAgent(model, tools.All, tracker);

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Equal(AgentRunStatus.BudgetExhausted, result.Status);
        Assert.Equal(2, tools.SearchCalls);
        Assert.Equal(2, tracker.GetSnapshot().GetCategory("search")!.Used);
        Assert.Contains("search", result.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exhaustion_FinalAnswerWithoutTools_AsksOnceWithoutTools()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 1, ExhaustionBehavior.FinalAnswerWithoutTools);
        var model = new ScriptedChatClient(call => call.HasTools ? Reply.Search("q") : Reply.Text("<answer>best guess</answer>"));
        var agent = new ReActAgent(model, new TestTools().All, tracker);

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Equal(AgentRunStatus.Answered, result.Status);
        Assert.Equal("best guess", result.Answer);
        Assert.False(model.Calls[^1].HasTools);
        Assert.Contains("budget", model.Calls[^1].LastUser, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Exhaustion_OfTokens_MakesNoCallThatDoesNotFit()
    {
        // The prompt (with its tool declarations) is estimated above 150 tokens: no call fits, the final answer neither.
        var options = new BudgetOptions { MaxInputTokens = 150, OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools };
        var tracker = new BudgetTracker(options.SetToolLimit("search", 100).AddToolMapping("search", "search", unitsArgument: "queries"));
        var model = new ScriptedChatClient(_ => Reply.Search("q"));
        var agent = new ReActAgent(model, new TestTools().All, tracker);

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Equal(AgentRunStatus.BudgetExhausted, result.Status);
        Assert.Empty(model.Calls);
        Assert.Equal(0, tracker.GetSnapshot().InputTokens);
        Assert.All(model.Calls, c => Assert.True(c.HasTools));
        Assert.Contains("input token", result.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOutputTokenBudget_StopsTheRun()
    {
        BudgetTracker tracker = TestTools.Tracker(searchLimit: 100);
        var model = new ScriptedChatClient(_ => Reply.Search("q"));
        var agent = new ReActAgent(model, new TestTools().All, tracker);

        AgentRunResult result = await agent.RunAsync(new AgentRunRequest("q?") { MaxOutputTokens = 25 });

        Assert.Equal(AgentRunStatus.BudgetExhausted, result.Status);
        Assert.Equal(3, model.Calls.Count);
        Assert.Equal(5, model.Calls[2].Options!.MaxOutputTokens);
    }

    [Fact]
    public async Task KernelOverload_UsesPluginFunctionsAsTools()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("math", [KernelFunctionFactory.CreateFromMethod((int a, int b) => a + b, "add")]);
        var model = new ScriptedChatClient(call => call.Index == 0
            ? Reply.Tool("math_add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 })
            : Reply.Text("<answer>5</answer>"));
        var agent = new ReActAgent(model, kernel, tracker);

        AgentRunResult result = await agent.RunAsync("2+3?");

        Assert.Equal("5", result.Answer);
        Assert.True(result.Trajectory.ToolCalls[0].Executed);
        Assert.Equal("5", result.Trajectory.ToolCalls[0].Result);
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("default")!.Used);
    }

    [Fact]
    public async Task Streaming_YieldsStepsAndEndsWithCompleted()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var model = new ScriptedChatClient(call => call.Index == 0 ? Reply.Search("a") : Reply.Text("<answer>z</answer>"));
        var agent = new ReActAgent(model, new TestTools().All, tracker);

        var events = new List<AgentRunEvent>();
        await foreach (AgentRunEvent e in agent.RunStreamingAsync("q?"))
        {
            events.Add(e);
        }

        Assert.IsType<RunStartedEvent>(events[0]);
        RunCompletedEvent done = Assert.IsType<RunCompletedEvent>(events[^1]);
        Assert.Equal("z", done.Result.Answer);
        Assert.Single(events.OfType<ToolCalledEvent>());
        Assert.Equal(2, events.OfType<ModelRespondedEvent>().Count());
        Assert.Contains(events, e => e is BudgetChangedEvent);
        Assert.All(events, e => Assert.Equal(done.Result.RunId, e.RunId));
    }

    [Fact]
    public async Task Cancelled_ReportsSpendSoFar()
    {
        BudgetTracker tracker = TestTools.Tracker();
        using var cts = new CancellationTokenSource();
        var tools = new TestTools { OnSearch = cts.Cancel };
        var model = new ScriptedChatClient(_ => Reply.Search("a"));
        var agent = new ReActAgent(model, tools.All, tracker);

        var events = new List<AgentRunEvent>();
        await foreach (AgentRunEvent e in agent.RunStreamingAsync(new AgentRunRequest("q?"), cts.Token))
        {
            events.Add(e);
        }

        AgentRunResult result = Assert.IsType<RunCompletedEvent>(events[^1]).Result;
        Assert.Equal(AgentRunStatus.Cancelled, result.Status);
        Assert.Equal(Reply.InputTokens, result.Cost.InputTokens);
        Assert.True(result.Cost.CostUsd > 0);
    }

    [Fact]
    public async Task FailingModel_GivesUpWithReasonAndKeepsSpend()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var model = new ScriptedChatClient(call => call.Index == 0 ? Reply.Search("a") : throw new HttpRequestException("502 from provider"));
        var agent = new ReActAgent(model, new TestTools().All, tracker);

        AgentRunResult result = await agent.RunAsync("q?");

        Assert.Equal(AgentRunStatus.GaveUp, result.Status);
        Assert.Contains("502 from provider", result.StatusReason, StringComparison.Ordinal);
        Assert.Equal(1, result.Cost.ToolUnits["search"]);
    }

    [Fact]
    public void BadConfiguration_ThrowsClearly()
    {
        BudgetTracker tracker = TestTools.Tracker();
        var model = new ScriptedChatClient(_ => Reply.Text("x"));
        var tools = new TestTools();
        Assert.Throws<ArgumentNullException>(() => new ReActAgent(null!, tools.All, tracker));
        Assert.Throws<ArgumentNullException>(() => new ReActAgent(model, (IEnumerable<AITool>)null!, tracker));
        Assert.Throws<ArgumentNullException>(() => new ReActAgent(model, tools.All, null!));
        Assert.Throws<ArgumentNullException>(() => new ReActAgent(model, (Kernel)null!, tracker));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReActAgent(model, tools.All, tracker, new ReActOptions { MaxIterations = 0 }));
        Assert.Contains("MaxIterations", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReActAgent(model, tools.All, tracker, new ReActOptions { MaxToolResultChars = 5 }));
        var p = Assert.Throws<ArgumentException>(() => new ReActAgent(model, tools.All, tracker, new ReActOptions { Prompts = new ReActPrompts { Question = "no placeholder" } }));
        Assert.Contains("ReActPrompts.Question", p.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ReActAgent(model, [tools.Search, tools.Search], tracker));
        Assert.Throws<ArgumentException>(() => new ReActAgent(model, [tools.Search, null!], tracker));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task BadQuestion_Throws(string? question)
    {
        BudgetTracker tracker = TestTools.Tracker();
        var agent = new ReActAgent(new ScriptedChatClient(_ => Reply.Text("x")), new TestTools().All, tracker);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => agent.RunAsync(question!));
        Assert.ThrowsAny<ArgumentException>(() => agent.RunStreamingAsync(question!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => agent.RunAsync((AgentRunRequest)null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentRunRequest("q") { MaxOutputTokens = 0 });
    }
}
