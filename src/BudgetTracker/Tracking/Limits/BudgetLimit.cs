namespace Agents.Budget;

/// <summary>
/// One kind of limit of a tracker (category units, input tokens, output tokens, money, time): everything the tracker
/// asks of a limit (is it reached, why, by how much, what fraction is left, may a call go ahead, how it reads in the
/// budget block and the guideline) is answered in one place, the limit's class. Called under the ledger's lock.
/// </summary>
internal abstract class BudgetLimit
{
    /// <summary>The sentence every refusal text contains.</summary>
    public const string RefusalSentence = "The call was not executed because of the budget.";

    /// <summary>What a refusal tells the model to do when no tool may run any more.</summary>
    protected const string AnswerNow = RefusalSentence + " Do not call any more tools; give your final answer now.";

    /// <summary>Gets the rank in which refusals are checked: the first limit that refuses names the reason.</summary>
    public abstract int RefusalRank { get; }

    /// <summary>Adds the limits that are reached, as (budget, reason) pairs.</summary>
    public abstract void AddReached(BudgetCounters c, TimeSpan elapsed, List<(string Budget, string Reason)> reached);

    /// <summary>Whether the limit (any of its categories) is reached.</summary>
    public abstract bool IsReached(BudgetCounters c, TimeSpan elapsed);

    /// <summary>Adds the limits the spend is beyond (not merely at).</summary>
    public abstract void AddOverruns(BudgetCounters c, TimeSpan elapsed, List<BudgetOverrun> overruns);

    /// <summary>The smallest fraction left of this limit; may be negative or above 1 (the caller clamps).</summary>
    public abstract double RemainingFraction(BudgetCounters c, TimeSpan elapsed);

    /// <summary>The reason a tool call may not reserve its units, or <see langword="null"/>.</summary>
    public abstract string? RefuseTool(BudgetCounters c, in ToolCallCheck call);

    /// <summary>The reason a model call does not fit, or <see langword="null"/>; may lower the output cap.</summary>
    public virtual string? RefuseModel(BudgetCounters c, in ModelCallCheck call, ref long? cap) => null;

    /// <summary>Appends this limit's lines of the budget block, each after a new line when the block has text since <paramref name="start"/>.</summary>
    public abstract void AppendBlockLines(BudgetCounters c, TimeSpan elapsed, StringBuilder sb, int start);

    /// <summary>Appends this limit as the guideline names it (for example <c>search 10 units</c>).</summary>
    public abstract void AppendGuideline(BudgetCounters c, StringBuilder sb);

    /// <summary>Appends one <c>Name used: n, remaining: m</c> line.</summary>
    protected static void AppendLine(StringBuilder sb, int start, string name, long used, long? remaining)
    {
        NewLine(sb, start);
        sb.Append(name).Append(" used: ").Append(used);
        if (remaining is { } r)
        {
            sb.Append(", remaining: ").Append(Math.Max(0, r));
        }
    }

    /// <summary>Starts a new line unless the block has no text since <paramref name="start"/>.</summary>
    protected static void NewLine(StringBuilder sb, int start)
    {
        if (sb.Length > start)
        {
            sb.Append('\n');
        }
    }

    /// <summary>Appends one item of the guideline's list of limits.</summary>
    protected static void AppendItem(StringBuilder sb, string text)
    {
        if (sb.Length > 0)
        {
            sb.Append(", ");
        }

        sb.Append(text);
    }
}
