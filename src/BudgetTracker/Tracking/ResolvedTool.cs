namespace Agents.Budget;

/// <summary>How one tool is charged: its category and where its units come from.</summary>
internal sealed class ResolvedTool
{
    public ResolvedTool(CategoryState category, string? unitsArgument, Func<IReadOnlyDictionary<string, object?>, int>? unitCounter, string displayName)
    {
        Category = category;
        UnitsArgument = unitsArgument;
        UnitCounter = unitCounter;
        DisplayName = displayName;
    }

    public CategoryState Category { get; }

    public string? UnitsArgument { get; }

    public Func<IReadOnlyDictionary<string, object?>, int>? UnitCounter { get; }

    public string DisplayName { get; }
}
