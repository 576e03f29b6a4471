namespace Agents.Budget;

/// <summary>
/// The texts the model sees about its budget, from the options' templates through one template engine: the budget
/// block after every tool result (<see cref="BudgetOptions.BudgetBlockTemplate"/>) and the system-prompt guideline
/// (<see cref="BudgetOptions.GuidelineTemplate"/>).
/// </summary>
/// <remarks>
/// Placeholders: <c>{lines}</c> (block), <c>{limits}</c> (guideline), and in both <c>{regime}</c>,
/// <c>{remaining_percent}</c>, <c>{high_percent}</c>, <c>{medium_percent}</c> and <c>{low_percent}</c> (the regime
/// thresholds of the options). Unknown placeholders are left as written.
/// </remarks>
internal sealed class BudgetTextFormatter
{
    private readonly BudgetCounters _counters;
    private readonly StringBuilder _builder = new(256);

    public BudgetTextFormatter(BudgetCounters counters)
    {
        _counters = counters;
    }

    /// <summary>Returns <paramref name="prefix"/> (when not empty), a new line and the budget block, as one string.</summary>
    public string FormatBlock(string? prefix)
    {
        TimeSpan elapsed = _counters.Elapsed();
        lock (_counters.Gate)
        {
            // One reused builder under the lock: the returned string is the only allocation.
            StringBuilder sb = _builder.Clear();
            if (!string.IsNullOrEmpty(prefix))
            {
                sb.Append(prefix).Append('\n');
            }

            Apply(sb, _counters.Options.BudgetBlockTemplate, elapsed, limits: null);
            string text = sb.ToString();
            if (sb.Capacity > 16 * 1024)
            {
                // Drop a large buffer kept for reuse; it must be empty before it can shrink.
                sb.Clear();
                sb.Capacity = 256;
            }

            return text;
        }
    }

    /// <summary>Returns the guideline.</summary>
    public string FormatGuideline()
    {
        TimeSpan elapsed = _counters.Elapsed();
        var sb = new StringBuilder();
        lock (_counters.Gate)
        {
            Apply(sb, _counters.Options.GuidelineTemplate, elapsed, _counters.Limits.GuidelineLimits(_counters));
        }

        return sb.ToString();
    }

    /// <summary>The template engine: copies <paramref name="template"/>, replacing each known placeholder.</summary>
    private void Apply(StringBuilder sb, string template, TimeSpan elapsed, string? limits)
    {
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            sb.Append(template, i, open - i);
            int close = template.IndexOf('}', open + 1);
            if (close < 0 || !TryAppend(sb, template.AsSpan(open + 1, close - open - 1), elapsed, limits))
            {
                sb.Append('{');
                i = open + 1;
                continue;
            }

            i = close + 1;
        }
    }

    private bool TryAppend(StringBuilder sb, ReadOnlySpan<char> name, TimeSpan elapsed, string? limits)
    {
        BudgetOptions o = _counters.Options;
        switch (name)
        {
            case "lines" when limits is null:
                _counters.Limits.AppendBlockLines(_counters, elapsed, sb);
                return true;
            case "limits" when limits is not null:
                sb.Append(limits);
                return true;
            case "regime":
                sb.Append(RegimeName(_counters.Limits.Regime(_counters, elapsed)));
                return true;
            case "remaining_percent":
                return Percent(sb, _counters.Limits.RemainingFraction(_counters, elapsed));
            case "high_percent":
                return Percent(sb, o.RegimeThresholds.High);
            case "medium_percent":
                return Percent(sb, o.RegimeThresholds.Medium);
            case "low_percent":
                return Percent(sb, o.RegimeThresholds.Low);
            default:
                return false;
        }
    }

    private static bool Percent(StringBuilder sb, double fraction)
    {
        sb.Append(CultureInfo.InvariantCulture, $"{fraction * 100:0}");
        return true;
    }

    private static string RegimeName(BudgetRegime regime) => regime switch
    {
        BudgetRegime.High => "HIGH",
        BudgetRegime.Medium => "MEDIUM",
        BudgetRegime.Low => "LOW",
        _ => "CRITICAL",
    };
}
