namespace Agents.Budget;

/// <summary>The outcome of <see cref="BudgetTracker.InvokeToolAsync"/> and <see cref="BudgetTracker.ChargeToolCallAsync"/>.</summary>
public sealed class BudgetedToolResult
{
    internal BudgetedToolResult(BudgetedToolOutcome outcome, string text, string result, int units, string category, bool shouldTerminate, object? rawResult)
    {
        Outcome = outcome;
        Text = text;
        Result = result;
        Units = units;
        Category = category;
        ShouldTerminate = shouldTerminate;
        RawResult = rawResult;
    }

    /// <summary>Gets what became of the call: it ran, the budget refused it, or its units could not be counted.</summary>
    public BudgetedToolOutcome Outcome { get; }

    /// <summary>Gets what the model should see: the function result followed by the budget block, or the refusal or error text when the call did not run.</summary>
    public string Result { get; }

    /// <summary>Gets <see cref="Result"/> without the budget block: the function's result as text (empty when it returned nothing), or the refusal or error text.</summary>
    public string Text { get; }

    /// <summary>Gets a value indicating whether the function ran (and its units were counted).</summary>
    public bool Executed => Outcome == BudgetedToolOutcome.Executed;

    /// <summary>Gets the units the call costs (0 when they could not be counted).</summary>
    public int Units { get; }

    /// <summary>Gets the category charged.</summary>
    public string Category { get; }

    /// <summary>Gets a value indicating whether a hard limit is reached: the call was refused, or a budget is now exhausted.</summary>
    public bool ShouldTerminate { get; }

    /// <summary>Gets why the call did not run (budget refusal or bad arguments); <see langword="null"/> when it ran.</summary>
    public string? DeniedReason => Executed ? null : Text;

    /// <summary>Gets the function's own result, before the budget block was appended; <see langword="null"/> when it did not run.</summary>
    public object? RawResult { get; }

    /// <summary>
    /// Gets the model usage the tool's run charged to the tracker on the call's own flow (a page summary, say); already in
    /// the tracker's totals. <see cref="BudgetModelSpend.Zero"/> when it made no model call or did not run.
    /// </summary>
    public BudgetModelSpend ModelSpend { get; init; } = BudgetModelSpend.Zero;
}
