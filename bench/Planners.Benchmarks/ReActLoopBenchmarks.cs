using Agents.Budget;
using Agents.Planners.ReAct;
using Agents.Planners.Runs;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace Agents.Planners.Benchmarks;

/// <summary>
/// Bookkeeping overhead of one ReAct run (2 model calls, 1 tool call) against a hand-written loop doing the same calls
/// with no trajectory, events, budget or cost.
/// </summary>
[MemoryDiagnoser]
public class ReActLoopBenchmarks
{
    private const long Huge = long.MaxValue / 4;
    private readonly InstantChatClient _model = new();
    private AIFunction _search = null!;
    private BudgetTracker _tracker = null!;
    private ReActAgent _plain = null!;
    private ReActAgent _budgetAware = null!;

    [GlobalSetup]
    public void Setup()
    {
        _search = AIFunctionFactory.Create((string[] queries) => string.Join("\n", queries), "search");
        _tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", Huge).AddToolMapping("search", "search", unitsArgument: "queries"));
        _plain = new ReActAgent(_model, [_search], _tracker);
        _budgetAware = new ReActAgent(_model, [_search], _tracker, new ReActOptions { BudgetAware = true });
    }

    /// <summary>The same model and tool calls with no bookkeeping.</summary>
    [Benchmark(Baseline = true)]
    public async Task<string> HandWrittenLoop()
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "s"), new(ChatRole.User, "q?") };
        var options = new ChatOptions { Tools = [_search] };
        while (true)
        {
            ChatResponse response = await _model.GetResponseAsync(messages, options);
            messages.AddRange(response.Messages);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0)
            {
                return response.Text;
            }

            foreach (FunctionCallContent call in calls)
            {
                object? result = await _search.InvokeAsync(new AIFunctionArguments(call.Arguments));
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]));
            }
        }
    }

    /// <summary>Plain ReAct: trajectory, budget charge, cost, snapshots.</summary>
    [Benchmark]
    public async Task<string?> ReAct() => (await _plain.RunAsync("q?")).Answer;

    /// <summary>ReAct + Budget Tracker: also the guideline and a budget block after the tool result.</summary>
    [Benchmark]
    public async Task<string?> ReActBudgetAware() => (await _budgetAware.RunAsync("q?")).Answer;

    /// <summary>Plain ReAct with every step streamed through the event channel.</summary>
    [Benchmark]
    public async Task<int> ReActStreaming()
    {
        int events = 0;
        await foreach (var _ in _plain.RunStreamingAsync("q?"))
        {
            events++;
        }

        return events;
    }
}
