namespace Agents.Samples.OfflineWeb.Generation;

/// <summary>How an attribute's value is constrained in a question.</summary>
internal enum AttributeKind
{
    /// <summary>A year, constrained by decade.</summary>
    Year,

    /// <summary>A count, constrained by "more than" / "fewer than" a round number.</summary>
    Quantity,

    /// <summary>A category, constrained by equality.</summary>
    Category,
}
