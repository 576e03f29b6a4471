namespace Agents.Budget;

/// <summary>Mutable counters of one category; guarded by the tracker's lock.</summary>
internal sealed class CategoryState
{
    public CategoryState(string name, long? limit, decimal unitPrice, CategoryState? parent = null)
    {
        Parent = parent;
        Name = name;
        DisplayName = name.Length == 0 ? name : string.Concat(char.ToUpperInvariant(name[0]).ToString(), name.AsSpan(1));
        Limit = limit;
        UnitPrice = unitPrice;
    }

    public string Name { get; }

    /// <summary>Gets the same-named category of the parent tracker, for a child tracker's category.</summary>
    public CategoryState? Parent { get; }

    public string DisplayName { get; }

    /// <summary>The unit limit; raised only by <see cref="BudgetTracker.ExtendToolLimit"/>, under the tracker's lock.</summary>
    public long? Limit { get; set; }

    public decimal UnitPrice { get; }

    /// <summary>Committed units plus units reserved by calls in flight; above <see cref="Limit"/> only through restored spend.</summary>
    public long Spent { get; set; }

    /// <summary>Whether the extension approver declined more units for this category (until reset or extended); guarded by the tracker's lock.</summary>
    public bool ExtensionDeclined { get; set; }

    /// <summary>Committed units: the units of calls that ran.</summary>
    public long Used { get; set; }
}
