using Microsoft.Extensions.Logging;

namespace Agents.Budget;

/// <summary>
/// What a tracker tells the world after a change of its ledger: the <see cref="BudgetTracker.Charged"/> and
/// <see cref="BudgetTracker.Exhausted"/> events (each limit reported once until reset or extended), the
/// <c>Agents.Budget</c> metrics and the log.
/// </summary>
internal sealed class BudgetEvents
{
    private readonly BudgetTracker _sender;
    private readonly BudgetCounters _counters;
    private readonly HashSet<string> _raised = new(StringComparer.OrdinalIgnoreCase);

    public BudgetEvents(BudgetTracker sender, BudgetCounters counters, ILogger logger, BudgetMetrics metrics)
    {
        _sender = sender;
        _counters = counters;
        Logger = logger;
        Metrics = metrics;
    }

    public event EventHandler<BudgetChargedEventArgs>? Charged;

    public event EventHandler<BudgetExhaustedEventArgs>? Exhausted;

    public event EventHandler<BudgetExtensionEventArgs>? ExtensionAnswered;

    public ILogger Logger { get; }

    public BudgetMetrics Metrics { get; }

    public void OnCharged(CategoryState state, int units, long used, string? function)
    {
        decimal cost = units * state.UnitPrice;
        Metrics.Units.Add(units, new KeyValuePair<string, object?>("category", state.Name));
        if (cost != 0)
        {
            Metrics.Cost.Add((double)cost, new KeyValuePair<string, object?>("source", "tool"));
        }

        if (Logger.IsEnabled(LogLevel.Debug))
        {
            BudgetLog.Charged(Logger, units, state.Name, function, used, state.Limit?.ToString(CultureInfo.InvariantCulture) ?? "unlimited");
        }

        Charged?.Invoke(_sender, new BudgetChargedEventArgs(state.Name, units, cost, used, state.Limit, function));
    }

    public void OnDenied(string category, string? function, string reason)
    {
        Metrics.Denied.Add(1, new KeyValuePair<string, object?>("category", category));
        BudgetLog.Denied(Logger, function, reason);
    }

    /// <summary>Records the answer of the extension approver: a log line and <see cref="ExtensionAnswered"/>.</summary>
    public void OnExtension(BudgetExtensionEventArgs answer)
    {
        BudgetExtensionRequest request = answer.Request;
        if (answer.Error is not null)
        {
            BudgetLog.ExtensionFailed(Logger, request.Category, request.ToolName, answer.Error);
        }
        else if (answer.Granted)
        {
            BudgetLog.ExtensionGranted(Logger, answer.GrantedUnits, request.Category, request.ToolName, answer.Limit);
        }
        else
        {
            BudgetLog.ExtensionDeclined(Logger, request.Category, request.ToolName);
        }

        ExtensionAnswered?.Invoke(_sender, answer);
    }

    public void OnReleased(CategoryState state, int units) => BudgetLog.Released(Logger, units, state.Name);

    public void OnUsage(long input, long output, long cached, decimal cost, string? modelId)
    {
        Metrics.Tokens.Add(input, new KeyValuePair<string, object?>("direction", "input"));
        Metrics.Tokens.Add(output, new KeyValuePair<string, object?>("direction", "output"));
        Metrics.Tokens.Add(cached, new KeyValuePair<string, object?>("direction", "cached_input"));
        if (cost != 0)
        {
            Metrics.Cost.Add((double)cost, new KeyValuePair<string, object?>("source", "model"));
        }

        BudgetLog.Usage(Logger, modelId, input, cached, output, cost);
    }

    /// <summary>Raises <see cref="Exhausted"/> once for every limit of this level that is newly reached.</summary>
    public void RaiseExhaustion()
    {
        TimeSpan elapsed = _counters.Elapsed();
        List<(string Budget, string Reason)> fresh;
        lock (_counters.Gate)
        {
            if (!_counters.Limits.IsReached(_counters, elapsed))
            {
                return;
            }

            fresh = _counters.Limits.Reached(_counters, elapsed);
            fresh.RemoveAll(r => !_raised.Add(r.Budget));
        }

        foreach ((string budget, string reason) in fresh)
        {
            Metrics.Exhausted.Add(1, new KeyValuePair<string, object?>("budget", budget));
            BudgetLog.Exhausted(Logger, reason);
            Exhausted?.Invoke(_sender, new BudgetExhaustedEventArgs(budget, reason));
        }
    }

    /// <summary>Lets every limit be reported again (after a reset). Call under the ledger's lock.</summary>
    public void ForgetAll() => _raised.Clear();

    /// <summary>Lets one category be reported again (after its limit was extended). Call under the ledger's lock.</summary>
    public void Forget(string budget) => _raised.Remove(budget);
}
