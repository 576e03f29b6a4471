namespace Agents.Budget;

/// <summary>The limits of one tracker level, built once from its options: each kind of limit is one <see cref="BudgetLimit"/>.</summary>
internal sealed class BudgetLimits
{
    private readonly BudgetLimit[] _limits;
    private readonly BudgetLimit[] _refusalOrder;
    private readonly double _high;
    private readonly double _medium;
    private readonly double _low;

    public BudgetLimits(BudgetOptions options)
    {
        List<BudgetLimit> limits = [new CategoryUnitLimits()];
        if (options.MaxInputTokens is { } mi)
        {
            limits.Add(TokenLimit.Input(mi, options.FinalAnswerReserveTokens));
        }

        if (options.MaxOutputTokens is { } mo)
        {
            limits.Add(TokenLimit.Output(mo, options.FinalAnswerReserveTokens));
        }

        if (options.MaxCostUsd is { } mc)
        {
            limits.Add(new CostLimit(mc, options.FinalAnswerReserveUsd));
        }

        if (options.MaxDuration is { } md)
        {
            limits.Add(new TimeLimit(md));
        }

        _limits = [.. limits];
        _refusalOrder = [.. limits.OrderBy(l => l.RefusalRank)];
        HasModelLimits = options.MaxInputTokens is not null || options.MaxOutputTokens is not null || options.MaxCostUsd is not null;
        HasTimeLimit = options.MaxDuration is not null;
        _high = options.RegimeThresholds.High;
        _medium = options.RegimeThresholds.Medium;
        _low = options.RegimeThresholds.Low;
    }

    /// <summary>Gets a value indicating whether input tokens, output tokens or money are limited.</summary>
    public bool HasModelLimits { get; }

    /// <summary>Gets a value indicating whether time is limited (elapsed time matters).</summary>
    public bool HasTimeLimit { get; }

    public bool IsReached(BudgetCounters c, TimeSpan elapsed)
    {
        foreach (BudgetLimit limit in _limits)
        {
            if (limit.IsReached(c, elapsed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a limit is reached; with <paramref name="askable"/> a spent category counts only once its extension was declined.</summary>
    public bool IsReached(BudgetCounters c, TimeSpan elapsed, bool askable)
    {
        foreach (BudgetLimit limit in _limits)
        {
            if (askable && limit is CategoryUnitLimits
                ? CategoryUnitLimits.IsReachedAfterDecline(c)
                : limit.IsReached(c, elapsed))
            {
                return true;
            }
        }

        return false;
    }

    public List<(string Budget, string Reason)> Reached(BudgetCounters c, TimeSpan elapsed)
    {
        var reached = new List<(string, string)>();
        foreach (BudgetLimit limit in _limits)
        {
            limit.AddReached(c, elapsed, reached);
        }

        return reached;
    }

    public string[] ReachedReasons(BudgetCounters c, TimeSpan elapsed) => [.. Reached(c, elapsed).Select(r => r.Reason)];

    public List<BudgetOverrun> Overruns(BudgetCounters c, TimeSpan elapsed)
    {
        var overruns = new List<BudgetOverrun>();
        foreach (BudgetLimit limit in _limits)
        {
            limit.AddOverruns(c, elapsed, overruns);
        }

        return overruns;
    }

    public double RemainingFraction(BudgetCounters c, TimeSpan elapsed)
    {
        double fraction = 1;
        foreach (BudgetLimit limit in _limits)
        {
            fraction = Math.Min(fraction, limit.RemainingFraction(c, elapsed));
        }

        return Math.Clamp(fraction, 0, 1);
    }

    /// <summary>The regime of a remaining fraction, by the thresholds of the options.</summary>
    public BudgetRegime RegimeOf(double fraction, bool reached) =>
        reached ? BudgetRegime.Critical : fraction >= _high ? BudgetRegime.High : fraction >= _medium ? BudgetRegime.Medium : fraction >= _low ? BudgetRegime.Low : BudgetRegime.Critical;

    public BudgetRegime Regime(BudgetCounters c, TimeSpan elapsed) => RegimeOf(RemainingFraction(c, elapsed), IsReached(c, elapsed));

    public string? RefuseTool(BudgetCounters c, in ToolCallCheck call) => RefuseTool(c, call, skipUnits: false);

    /// <summary>The refusal of a tool call; with <paramref name="skipUnits"/>, by every limit but the category units.</summary>
    public string? RefuseTool(BudgetCounters c, in ToolCallCheck call, bool skipUnits)
    {
        foreach (BudgetLimit limit in _refusalOrder)
        {
            if (skipUnits && limit is CategoryUnitLimits)
            {
                continue;
            }

            if (limit.RefuseTool(c, call) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }

    public string? RefuseModel(BudgetCounters c, in ModelCallCheck call, ref long? cap)
    {
        foreach (BudgetLimit limit in _refusalOrder)
        {
            if (limit.RefuseModel(c, call, ref cap) is { } reason)
            {
                return reason;
            }
        }

        return cap is < 1 ? ModelCallCheck.Prefix + "the request allows no output tokens." : null;
    }

    public void AppendBlockLines(BudgetCounters c, TimeSpan elapsed, StringBuilder sb)
    {
        int start = sb.Length;
        foreach (BudgetLimit limit in _limits)
        {
            limit.AppendBlockLines(c, elapsed, sb, start);
        }

        if (sb.Length == start)
        {
            sb.Append("No budget limits set.");
        }
    }

    public string GuidelineLimits(BudgetCounters c)
    {
        var sb = new StringBuilder();
        foreach (BudgetLimit limit in _limits)
        {
            limit.AppendGuideline(c, sb);
        }

        return sb.Length == 0 ? "no fixed limits" : sb.ToString();
    }
}
