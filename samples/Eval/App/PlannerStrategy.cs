using Agents.Budget;
using Agents.Planners.Runs;

namespace Agents.Samples.Eval.App;

/// <summary>
/// Runs one of the library's agents (<see cref="AgentCatalog"/>) as a grid strategy: a fresh budget of
/// <c>search=b, browse=b</c> per question, fresh tools, the unified cost from the tracker's prices (the tracker's tokens and
/// money, so that browse's page summaries, charged to the run, count).
/// </summary>
internal sealed class PlannerStrategy(string name, ResearchStack stack, PriceSpec? prices, ILoggerFactory loggerFactory) : IEvalStrategy
{
    public string Name { get; } = AgentCatalog.Canonical(name);

    public async Task<EvalAttempt> RunAsync(EvalItem item, int budget, CancellationToken cancellationToken)
    {
        if (stack.Monitor.Failure is { } earlier)
        {
            throw new EvalAbortedException(earlier.Message);
        }

        var spec = new BudgetSpec { Search = budget, Browse = budget };
        var tracker = new BudgetTracker(BudgetFactory.CreateOptions(spec, prices, ExhaustionBehavior.FinalAnswerWithoutTools), TimeProvider.System, loggerFactory);
        var agent = AgentCatalog.Create(Name, stack.ChatClient, stack.CreateWebTools(), tracker, TimeProvider.System, loggerFactory);
        var result = await agent.RunAsync(new AgentRunRequest(item.Question), cancellationToken).ConfigureAwait(false);

        // A run cut short by Ctrl+C or by a broken model connection is not a result: it is rerun next time.
        if (result.Status == AgentRunStatus.Cancelled)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (stack.Monitor.Failure is { } failure)
        {
            throw new EvalAbortedException(failure.Message);
        }

        string status = result.Status switch
        {
            AgentRunStatus.Answered => "answered",
            AgentRunStatus.BudgetExhausted => "budget_exhausted",
            AgentRunStatus.GaveUp => "gave_up",
            _ => "cancelled",
        };
        // Tokens and money from the run's tracker: they include what tools spent on the run's behalf (browse's page summaries).
        var spent = tracker.GetSnapshot();
        return new EvalAttempt(result.Answer, status, spent.CostUsd, result.Cost.TotalToolUnits, spent.InputTokens, spent.OutputTokens);
    }
}
