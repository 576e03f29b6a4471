namespace Agents.Budget;

/// <summary>What became of one tool call charged through the tracker (see <see cref="BudgetedToolResult.Outcome"/>).</summary>
public enum BudgetedToolOutcome
{
    /// <summary>The units were granted and the function ran; its units are counted.</summary>
    Executed = 0,

    /// <summary>The budget refused the call: nothing ran and nothing was charged.</summary>
    Refused = 1,

    /// <summary>The call's units could not be counted from its arguments: nothing ran and nothing was charged.</summary>
    InvalidArguments = 2,
}
