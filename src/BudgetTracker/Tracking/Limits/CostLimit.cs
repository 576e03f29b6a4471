namespace Agents.Budget;

/// <summary>The money limit: model tokens plus tool units, in US dollars.</summary>
internal sealed class CostLimit(decimal max, decimal heldForFinalAnswer) : BudgetLimit
{
    private const string Budget = "cost";

    public override int RefusalRank => 4;

    public override void AddReached(BudgetCounters c, TimeSpan elapsed, List<(string Budget, string Reason)> reached)
    {
        if (IsReached(c, elapsed))
        {
            reached.Add((Budget, string.Create(CultureInfo.InvariantCulture, $"money budget exhausted (${c.CostUsd:0.####} of ${max:0.####} spent)")));
        }
    }

    public override bool IsReached(BudgetCounters c, TimeSpan elapsed) => c.CostUsd >= max;

    public override void AddOverruns(BudgetCounters c, TimeSpan elapsed, List<BudgetOverrun> overruns)
    {
        if (c.CostUsd > max)
        {
            overruns.Add(new BudgetOverrun(Budget, c.CostUsd, max));
        }
    }

    public override double RemainingFraction(BudgetCounters c, TimeSpan elapsed) => (double)((max - c.CostUsd) / max);

    public override string? RefuseTool(BudgetCounters c, in ToolCallCheck call)
    {
        decimal cost = c.CostUsd + c.ReservedCostUsd;
        return cost >= max || (call.CostUsd > 0 && cost + call.CostUsd > max - heldForFinalAnswer)
            ? string.Create(CultureInfo.InvariantCulture, $"The money budget does not allow this call (${cost:0.####} of ${max:0.####} spent, the call costs ${call.CostUsd:0.####}). {AnswerNow}")
            : null;
    }

    public override string? RefuseModel(BudgetCounters c, in ModelCallCheck call, ref long? cap)
    {
        decimal heldUsd = call.FinalAnswer ? 0 : heldForFinalAnswer;
        decimal left = max - c.CostUsd - c.ReservedCostUsd - heldUsd - call.PromptCostUsd;
        decimal outPrice = call.OutputPricePerToken;
        if (left < 0 || (outPrice > 0 && left < outPrice))
        {
            string held = heldUsd > 0 ? string.Create(CultureInfo.InvariantCulture, $" (${heldUsd:0.####} is held back for the final answer)") : string.Empty;
            return string.Create(CultureInfo.InvariantCulture, $"{ModelCallCheck.Prefix}its prompt and at least one output token cost more than the ${Math.Max(0, left + call.PromptCostUsd):0.######} left of ${max:0.####}{held}.");
        }

        if (outPrice > 0)
        {
            long byMoney = (long)Math.Min(decimal.Floor(left / outPrice), int.MaxValue);
            cap = Math.Min(cap ?? byMoney, byMoney);
        }

        return null;
    }

    public override void AppendBlockLines(BudgetCounters c, TimeSpan elapsed, StringBuilder sb, int start)
    {
        NewLine(sb, start);
        sb.Append(CultureInfo.InvariantCulture, $"Cost used: ${c.CostUsd:0.####}, remaining: ${Math.Max(0, max - c.CostUsd):0.####}");
    }

    public override void AppendGuideline(BudgetCounters c, StringBuilder sb) =>
        AppendItem(sb, string.Create(CultureInfo.InvariantCulture, $"${max:0.####}"));
}
