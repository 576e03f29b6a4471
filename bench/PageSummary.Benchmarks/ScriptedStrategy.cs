using Agents.Budget;
using Agents.Hosting;
using Agents.Planners.Runs;
using Agents.Samples.Common.Budgeting;
using Agents.Samples.Eval.Dataset;
using Agents.Samples.Eval.Grid;
using Microsoft.Extensions.AI;

namespace Agents.PageSummary.Benchmarks;

/// <summary>
/// A grid strategy as the Eval sample runs one (a fresh <c>search=b, browse=b</c> budget and fresh tools per question),
/// over one toolset: with or without the page summariser. Its spend is read from the run's tracker, so the summaries'
/// tokens (charged to the run that called <c>browse</c>) count.
/// </summary>
internal sealed class ScriptedStrategy(string name, string agent, IChatClient model, ResearchToolset toolset, PriceSpec prices) : IEvalStrategy
{
    public string Name => name;

    public async Task<EvalAttempt> RunAsync(EvalItem item, int budget, CancellationToken cancellationToken)
    {
        var options = BudgetFactory.CreateOptions(new BudgetSpec { Search = budget, Browse = budget }, prices, ExhaustionBehavior.FinalAnswerWithoutTools);
        var tracker = new BudgetTracker(options);
        var runner = ResearchAgents.Create(agent, model, toolset.CreateTools(), tracker);
        var result = await runner.RunAsync(new AgentRunRequest(item.Question), cancellationToken).ConfigureAwait(false);
        var spent = tracker.GetSnapshot();
        if (Environment.GetEnvironmentVariable("PAGE_SUMMARY_BENCH_TRACE") == "1")
        {
            Console.Error.WriteLine($"{name} b={budget} {item.Id} {result.Status} answer={result.Answer} ref={item.Answer}: {result.StatusReason} | {string.Join(" ; ", result.Trajectory.ToolCalls.Select(t => t.Name + "(" + string.Join(",", t.Arguments.Values.Select(v => v is string[] a ? string.Join(" ", a) : v?.ToString())) + ")" + (t.Executed ? "" : "!") + " " + t.Result.Length))}");
        }

        string status = result.Status switch
        {
            AgentRunStatus.Answered => "answered",
            AgentRunStatus.BudgetExhausted => "budget_exhausted",
            AgentRunStatus.GaveUp => "gave_up",
            _ => "cancelled",
        };
        return new EvalAttempt(result.Answer, status, spent.CostUsd, spent.Categories.Sum(c => c.Used), spent.InputTokens, spent.OutputTokens);
    }
}
