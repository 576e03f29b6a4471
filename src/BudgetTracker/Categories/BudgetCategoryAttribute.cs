namespace Agents.Budget;

/// <summary>
/// Declares which budget category a tool function spends, and how many units one call costs.
/// </summary>
/// <remarks>
/// Put it on a Semantic Kernel <c>[KernelFunction]</c> method (or on the method behind an <c>AIFunction</c>).
/// Without <see cref="UnitsArgument"/> one call costs one unit. With it, the call costs the length of that
/// argument, which must be an array (a search with 4 queries costs 4 units, as in BATS); a call whose
/// argument is missing, empty or not an array is not executed and the model gets a tool result saying so.
/// Configuration given to the tracker wins over this attribute.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class BudgetCategoryAttribute : Attribute
{
    /// <summary>Creates the attribute for the given category.</summary>
    /// <param name="category">The category name, for example <c>search</c> or <c>browse</c>.</param>
    /// <exception cref="ArgumentException">The category is empty or white space.</exception>
    public BudgetCategoryAttribute(string category)
    {
        Category = CategoryName.Normalize(category);
    }

    /// <summary>Gets the category this function spends.</summary>
    public string Category { get; }

    /// <summary>
    /// Gets or sets the name of the argument whose array length is the number of units one call costs;
    /// <see langword="null"/> (the default) charges one unit a call.
    /// </summary>
    public string? UnitsArgument { get; set; }
}
