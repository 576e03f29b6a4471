namespace Agents.Budget;

/// <summary>The outcome of <see cref="BudgetTracker.InvokeToolAsync"/>.</summary>
public sealed class BudgetedToolResult
{
    internal BudgetedToolResult(string result, bool executed, int units, string category, bool shouldTerminate, string? deniedReason, object? rawResult)
    {
        Result = result;
        Executed = executed;
        Units = units;
        Category = category;
        ShouldTerminate = shouldTerminate;
        DeniedReason = deniedReason;
        RawResult = rawResult;
    }

    /// <summary>Gets what the model should see: the function result followed by the budget block, or the refusal or error text when the call did not run.</summary>
    public string Result { get; }

    /// <summary>Gets a value indicating whether the function ran (and its units were counted).</summary>
    public bool Executed { get; }

    /// <summary>Gets the units the call costs (0 when they could not be counted).</summary>
    public int Units { get; }

    /// <summary>Gets the category charged.</summary>
    public string Category { get; }

    /// <summary>Gets a value indicating whether a hard limit is reached: the call was refused, or a budget is now exhausted.</summary>
    public bool ShouldTerminate { get; }

    /// <summary>Gets why the call did not run (budget refusal or bad arguments); <see langword="null"/> when it ran.</summary>
    public string? DeniedReason { get; }

    /// <summary>Gets the function's own result, before the budget block was appended; <see langword="null"/> when it did not run.</summary>
    public object? RawResult { get; }
}
