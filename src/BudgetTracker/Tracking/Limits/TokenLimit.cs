namespace Agents.Budget;

/// <summary>The limit of input tokens or of output tokens over all model calls.</summary>
internal sealed class TokenLimit : BudgetLimit
{
    private readonly bool _input;
    private readonly long _max;
    private readonly long _held;
    private readonly string _budget;

    private TokenLimit(bool input, long max, long heldForFinalAnswer)
    {
        _input = input;
        _max = max;
        _held = heldForFinalAnswer;
        _budget = input ? "input tokens" : "output tokens";
    }

    public override int RefusalRank => _input ? 0 : 1;

    public static TokenLimit Input(long max, long heldForFinalAnswer) => new(input: true, max, heldForFinalAnswer);

    public static TokenLimit Output(long max, long heldForFinalAnswer) => new(input: false, max, heldForFinalAnswer);

    public override void AddReached(BudgetCounters c, TimeSpan elapsed, List<(string Budget, string Reason)> reached)
    {
        if (IsReached(c, elapsed))
        {
            reached.Add((_budget, $"{Direction} token budget exhausted ({Used(c)} of {_max} used)"));
        }
    }

    public override bool IsReached(BudgetCounters c, TimeSpan elapsed) => Used(c) >= _max;

    public override void AddOverruns(BudgetCounters c, TimeSpan elapsed, List<BudgetOverrun> overruns)
    {
        if (Used(c) > _max)
        {
            overruns.Add(new BudgetOverrun(_budget, Used(c), _max));
        }
    }

    public override double RemainingFraction(BudgetCounters c, TimeSpan elapsed) => (double)(_max - Used(c)) / _max;

    public override string? RefuseTool(BudgetCounters c, in ToolCallCheck call)
    {
        if (Used(c) < _max - _held)
        {
            return null;
        }

        string held = _held > 0 ? $", {_held} held back for the final answer" : string.Empty;
        return $"The {Direction} token budget is exhausted ({Used(c)} of {_max} used{held}). {AnswerNow}";
    }

    public override string? RefuseModel(BudgetCounters c, in ModelCallCheck call, ref long? cap)
    {
        long heldTokens = call.FinalAnswer ? 0 : _held;
        string held = heldTokens > 0 ? $" ({heldTokens} are held back for the final answer)" : string.Empty;
        if (_input)
        {
            long left = _max - c.InputTokens - c.ReservedInputTokens - heldTokens;
            return call.PromptTokens > left
                ? $"{ModelCallCheck.Prefix}its prompt counts {call.PromptTokens} input tokens but {Math.Max(0, left)} of {_max} are left{held}."
                : null;
        }

        long outputLeft = _max - c.OutputTokens - c.ReservedOutputTokens - heldTokens;
        if (outputLeft < 1)
        {
            return $"{ModelCallCheck.Prefix}no output tokens are left of {_max}{held}.";
        }

        cap = Math.Min(cap ?? outputLeft, outputLeft);
        return null;
    }

    public override void AppendBlockLines(BudgetCounters c, TimeSpan elapsed, StringBuilder sb, int start) =>
        AppendLine(sb, start, _input ? "Input tokens" : "Output tokens", Used(c), _max - Used(c));

    public override void AppendGuideline(BudgetCounters c, StringBuilder sb) => AppendItem(sb, $"{_max} {_budget}");

    private string Direction => _input ? "input" : "output";

    private long Used(BudgetCounters c) => _input ? c.InputTokens : c.OutputTokens;
}
