namespace Agents.Budget;

/// <summary>
/// The one rule for budget category names, applied at every entry point (options, mappings, attributes, prices,
/// reservations, restored spend, snapshots): surrounding white space is removed and names compare
/// case-insensitively (ordinal), so <c>"search "</c> and <c>"Search"</c> are the <c>search</c> category.
/// </summary>
internal static class CategoryName
{
    /// <summary>The comparer of category names.</summary>
    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>Returns the name without surrounding white space.</summary>
    /// <param name="name">The name as given.</param>
    /// <param name="parameterName">The parameter, for the exception.</param>
    /// <returns>The trimmed name.</returns>
    /// <exception cref="ArgumentException">The name is null, empty or white space.</exception>
    public static string Normalize(string name, string? parameterName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName ?? nameof(name));
        return name.Trim();
    }

    /// <summary>Whether two names denote the same category.</summary>
    public static bool Same(string? a, string? b) =>
        string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
}
