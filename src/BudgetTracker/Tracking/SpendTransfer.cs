namespace Agents.Budget;

/// <summary>Takes a tracker level's spend out (<see cref="BudgetTracker.GetSpend"/>) and adds a stored one back (<see cref="BudgetTracker.RestoreSpend"/>).</summary>
internal sealed class SpendTransfer
{
    private readonly BudgetCounters _counters;
    private readonly BudgetEvents _events;

    public SpendTransfer(BudgetCounters counters, BudgetEvents events)
    {
        _counters = counters;
        _events = events;
    }

    public BudgetSpend Capture()
    {
        TimeSpan elapsed = _counters.Elapsed();
        lock (_counters.Gate)
        {
            var units = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (CategoryState c in _counters.Categories)
            {
                if (c.Used > 0)
                {
                    units[c.Name] = c.Used;
                }
            }

            return new BudgetSpend
            {
                Units = units,
                InputTokens = _counters.InputTokens,
                OutputTokens = _counters.OutputTokens,
                CachedInputTokens = _counters.CachedTokens,
                TokenCostUsd = _counters.TokenCostUsd,
                ToolCostUsd = _counters.ToolCostUsd,
                Elapsed = elapsed,
            };
        }
    }

    public BudgetRestoreResult Restore(BudgetSpend prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (prior.Units is null)
        {
            throw new ArgumentException($"{nameof(BudgetSpend)}.{nameof(BudgetSpend.Units)} must not be null.", nameof(prior));
        }

        NotNegative(prior.InputTokens, nameof(BudgetSpend.InputTokens));
        NotNegative(prior.OutputTokens, nameof(BudgetSpend.OutputTokens));
        NotNegative(prior.CachedInputTokens, nameof(BudgetSpend.CachedInputTokens));
        NotNegative(prior.TokenCostUsd, nameof(BudgetSpend.TokenCostUsd));
        NotNegative(prior.ToolCostUsd, nameof(BudgetSpend.ToolCostUsd));
        NotNegative(prior.Elapsed.Ticks, nameof(BudgetSpend.Elapsed));
        if (prior.CachedInputTokens > prior.InputTokens)
        {
            throw new ArgumentException(
                $"{nameof(BudgetSpend)}.{nameof(BudgetSpend.CachedInputTokens)} ({prior.CachedInputTokens}) must not exceed {nameof(BudgetSpend.InputTokens)} ({prior.InputTokens}).",
                nameof(prior));
        }

        var states = new List<(CategoryState State, long Units)>(prior.Units.Count);
        foreach ((string name, long units) in prior.Units)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"{nameof(BudgetSpend)}.{nameof(BudgetSpend.Units)} has an empty category name.", nameof(prior));
            }

            NotNegative(units, $"{nameof(BudgetSpend.Units)}[{name}]");
            if (!_counters.TryGetCategory(name, out CategoryState? state))
            {
                throw new ArgumentException(
                    $"The spend to restore has units of the category '{name}', which this tracker does not know (known: {string.Join(", ", _counters.CategoryNames.Order(StringComparer.OrdinalIgnoreCase))}); configure it with BudgetOptions.WithToolLimit or a tool mapping.",
                    nameof(prior));
            }

            states.Add((state!, units));
        }

        _counters.AddRestored(states, prior);
        BudgetLog.Restored(_events.Logger, prior.InputTokens, prior.OutputTokens, prior.TokenCostUsd + prior.ToolCostUsd);
        _events.RaiseExhaustion();
        TimeSpan elapsed = _counters.Elapsed();
        BudgetRestoreResult result;
        lock (_counters.Gate)
        {
            BudgetLimits limits = _counters.Limits;
            result = new BudgetRestoreResult(limits.IsReached(_counters, elapsed), limits.ReachedReasons(_counters, elapsed), limits.Overruns(_counters, elapsed));
        }

        if (result.IsOverLimit)
        {
            BudgetLog.RestoredOverLimit(_events.Logger, result.ToString());
        }

        return result;

        static void NotNegative(decimal value, string name)
        {
            if (value < 0)
            {
                throw new ArgumentException($"{nameof(BudgetSpend)}.{name} must not be negative (was {value}).", nameof(prior));
            }
        }
    }
}
