namespace Agents.Budget;

/// <summary>The wall-clock limit.</summary>
internal sealed class TimeLimit(TimeSpan max) : BudgetLimit
{
    private const string Budget = "time";

    public override int RefusalRank => 2;

    public override void AddReached(BudgetCounters c, TimeSpan elapsed, List<(string Budget, string Reason)> reached)
    {
        if (IsReached(c, elapsed))
        {
            reached.Add((Budget, $"time budget exhausted ({Seconds(elapsed, max)})"));
        }
    }

    public override bool IsReached(BudgetCounters c, TimeSpan elapsed) => elapsed >= max;

    public override void AddOverruns(BudgetCounters c, TimeSpan elapsed, List<BudgetOverrun> overruns)
    {
        if (elapsed > max)
        {
            overruns.Add(new BudgetOverrun(Budget, (decimal)elapsed.TotalSeconds, (decimal)max.TotalSeconds));
        }
    }

    public override double RemainingFraction(BudgetCounters c, TimeSpan elapsed) => (max - elapsed) / max;

    public override string? RefuseTool(BudgetCounters c, in ToolCallCheck call) =>
        call.Elapsed >= max ? $"The time budget is exhausted ({Seconds(call.Elapsed, max)}). {AnswerNow}" : null;

    public override string? RefuseModel(BudgetCounters c, in ModelCallCheck call, ref long? cap) =>
        call.Elapsed >= max ? $"{ModelCallCheck.Prefix}the time budget is exhausted ({Seconds(call.Elapsed, max)})." : null;

    public override void AppendBlockLines(BudgetCounters c, TimeSpan elapsed, StringBuilder sb, int start)
    {
        NewLine(sb, start);
        sb.Append(CultureInfo.InvariantCulture, $"Time used: {elapsed.TotalSeconds:0}s, remaining: {Math.Max(0, (max - elapsed).TotalSeconds):0}s");
    }

    public override void AppendGuideline(BudgetCounters c, StringBuilder sb) =>
        AppendItem(sb, string.Create(CultureInfo.InvariantCulture, $"{max.TotalSeconds:0} seconds"));

    private static string Seconds(TimeSpan elapsed, TimeSpan max) =>
        string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0}s of {max.TotalSeconds:0}s");
}
