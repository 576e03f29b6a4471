namespace Agents.Budget;

/// <summary>
/// Maps the tools whose name matches <see cref="Pattern"/> to a budget category (one entry of
/// <see cref="BudgetOptions.ToolMappings"/>; the first matching entry wins).
/// </summary>
/// <remarks>
/// In configuration: <c>{ "Pattern": "web_search", "Category": "search", "UnitsArgument": "queries" }</c>: a call of
/// <c>web_search</c> spends one <c>search</c> unit per element of its <c>queries</c> array.
/// </remarks>
public sealed class BudgetToolMapping
{
    /// <summary>
    /// Gets or sets the pattern over <c>plugin_function</c>, <c>plugin.function</c> or <c>function</c> (case-insensitive);
    /// <c>*</c> matches any run of characters. Required.
    /// </summary>
    public string Pattern { get; set; } = string.Empty;

    /// <summary>Gets or sets the category the matching tools spend, for example <c>search</c>. Required.</summary>
    public string Category { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the argument whose array length is the number of units of a call; <see langword="null"/> (default)
    /// for one unit a call.
    /// </summary>
    public string? UnitsArgument { get; set; }

    /// <summary>
    /// Gets or sets a delegate returning the units of a call from its arguments (code only, not configuration);
    /// exclusive with <see cref="UnitsArgument"/>.
    /// </summary>
    public Func<IReadOnlyDictionary<string, object?>, int>? UnitCounter { get; set; }
}
