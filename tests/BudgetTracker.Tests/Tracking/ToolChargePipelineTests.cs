using System.Diagnostics;
using Microsoft.SemanticKernel;

namespace Agents.Budget.Tests.Tracking;

/// <summary>Every way to run a tool under a budget goes through one pipeline, which traces each call.</summary>
public sealed class ToolChargePipelineTests : IDisposable
{
    private readonly BudgetSpans _spans = new();

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task InvokeToolAsync_KernelFilter_AndChatClientFunction_ChargeRefuseAndTraceAlike()
    {
        // InvokeToolAsync (also the planners, the Agent Framework middleware and the MCP tools).
        BudgetTracker api = Tracker();
        AIFunction apiTool = AIFunctionFactory.Create((string[] items) => $"{items.Length} done", "pipe_api");
        BudgetedToolResult apiRun = await api.InvokeToolAsync(apiTool, Items(2), CancellationToken.None);
        BudgetedToolResult apiRefused = await api.InvokeToolAsync(apiTool, Items(1), CancellationToken.None);

        // The Semantic Kernel filter.
        BudgetTracker sk = Tracker();
        var kernel = new Kernel();
        kernel.Plugins.AddFromFunctions("p", [KernelFunctionFactory.CreateFromMethod((string[] items) => $"{items.Length} done", "pipe_sk")]);
        kernel.UseBudgetTracker(sk);
        FunctionResult skRun = await kernel.InvokeAsync("p", "pipe_sk", new KernelArguments { ["items"] = new[] { "a", "b" } });
        FunctionResult skRefused = await kernel.InvokeAsync("p", "pipe_sk", new KernelArguments { ["items"] = new[] { "c" } });

        // The chat client's tool wrapper (Microsoft.Extensions.AI).
        BudgetTracker meai = Tracker();
        var meaiTool = new BudgetedAIFunction(AIFunctionFactory.Create((string[] items) => $"{items.Length} done", "pipe_meai"), meai, new BudgetRequestState());
        object? meaiRun = await meaiTool.InvokeAsync(Items(2));
        object? meaiRefused = await meaiTool.InvokeAsync(Items(1));

        Assert.Equal("2 done", skRun.GetValue<string>());
        Assert.StartsWith("2 done\n<budget>", apiRun.Result, StringComparison.Ordinal);
        Assert.Equal(apiRun.Result, meaiRun);
        Assert.Equal(BudgetedToolOutcome.Refused, apiRefused.Outcome);
        Assert.Contains("probe budget is exhausted", apiRefused.Result, StringComparison.Ordinal);
        Assert.Equal(apiRefused.Result, skRefused.GetValue<string>());
        Assert.Equal(apiRefused.Result, meaiRefused);
        foreach (BudgetTracker tracker in new[] { api, sk, meai })
        {
            Assert.Equal(2, tracker.GetSnapshot().GetCategory("probe")!.Used);
        }

        foreach (string name in new[] { "pipe_api", "p_pipe_sk", "pipe_meai" })
        {
            Activity[] spans = [.. _spans.Of(name)];
            Assert.Equal(2, spans.Length);
            Assert.All(spans, s =>
            {
                Assert.Equal("execute_tool " + name, s.DisplayName);
                Assert.Equal("execute_tool", s.GetTagItem("gen_ai.operation.name"));
                Assert.Equal("probe", s.GetTagItem("agents.budget.category"));
                Assert.Equal("critical", s.GetTagItem("agents.budget.regime"));
            });
            Assert.Equal(("granted", (int?)2, (double?)0.02), Budget(spans[0]));
            Assert.Equal(("refused", (int?)1, (double?)0d), Budget(spans[1]));
        }
    }

    [Fact]
    public async Task Span_OfAFailingTool_IsAnErrorWithNothingCharged_AndBadArgumentsAreTraced()
    {
        BudgetTracker tracker = Tracker();
        AIFunction failing = AIFunctionFactory.Create((string[] items) => ThrowingTool(), "pipe_fail");

        await Assert.ThrowsAsync<InvalidOperationException>(() => tracker.InvokeToolAsync(failing, Items(1), CancellationToken.None));
        BudgetedToolResult bad = await tracker.InvokeToolAsync(failing, new AIFunctionArguments { ["items"] = "not an array" }, CancellationToken.None);

        Activity[] spans = [.. _spans.Of("pipe_fail")];
        Assert.Equal(2, spans.Length);
        Assert.Equal(ActivityStatusCode.Error, spans[0].Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, spans[0].GetTagItem("error.type"));
        Assert.Equal(("granted", (int?)0, (double?)0d), Budget(spans[0]));
        Assert.Equal(BudgetedToolOutcome.InvalidArguments, bad.Outcome);
        Assert.Equal(("invalid_arguments", (int?)0, (double?)0d), Budget(spans[1]));
        Assert.Equal("high", spans[1].GetTagItem("agents.budget.regime"));
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("probe")!.Used);
    }

    private static string ThrowingTool() => throw new InvalidOperationException("boom");

    private static BudgetTracker Tracker()
    {
        var options = new BudgetOptions().SetToolLimit("probe", 2).AddToolMapping("pipe_*", "probe", unitsArgument: "items");
        options.Pricing.SetUnitPrice("probe", 0.01m);
        return new BudgetTracker(options);
    }

    private static AIFunctionArguments Items(int n) => new() { ["items"] = Enumerable.Range(0, n).Select(i => $"i{i}").ToArray() };

    private static (string? Outcome, int? Units, double? Cost) Budget(Activity span) =>
        (span.GetTagItem("agents.budget.outcome") as string, span.GetTagItem("agents.budget.units") as int?, span.GetTagItem("agents.budget.cost_usd") as double?);
}
