namespace Agents.Budget;

/// <summary>A question to an <see cref="IBudgetExtensionApprover"/>: a tool call was refused because its category is spent; may it have more units?</summary>
public sealed class BudgetExtensionRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="category">The spent category.</param>
    /// <param name="toolName">The tool whose call was refused.</param>
    /// <param name="usedUnits">The category's units used so far.</param>
    /// <param name="limit">The category's current limit.</param>
    /// <param name="requestedUnits">The units the refused call needs.</param>
    /// <param name="offeredUnits">The units offered: the question's N.</param>
    public BudgetExtensionRequest(string category, string toolName, long usedUnits, long limit, int requestedUnits, int offeredUnits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentNullException.ThrowIfNull(toolName);
        ArgumentOutOfRangeException.ThrowIfLessThan(offeredUnits, 1);
        Category = category;
        ToolName = toolName;
        UsedUnits = usedUnits;
        Limit = limit;
        RequestedUnits = requestedUnits;
        OfferedUnits = offeredUnits;
        Text = string.Create(CultureInfo.InvariantCulture, $"The {category} budget is spent; continue with {offeredUnits} more?");
    }

    /// <summary>Gets the spent category, for example <c>search</c>.</summary>
    public string Category { get; }

    /// <summary>Gets the tool whose call was refused.</summary>
    public string ToolName { get; }

    /// <summary>Gets the category's units used so far.</summary>
    public long UsedUnits { get; }

    /// <summary>Gets the category's current limit.</summary>
    public long Limit { get; }

    /// <summary>Gets the units the refused call needs.</summary>
    public int RequestedUnits { get; }

    /// <summary>Gets the units offered (<see cref="BudgetOptions.AskForMoreUnits"/>, or more when the call alone needs more).</summary>
    public int OfferedUnits { get; }

    /// <summary>Gets the question to show, for example <c>The search budget is spent; continue with 5 more?</c>.</summary>
    public string Text { get; }
}
