namespace Agents.Plugins.Memory;

/// <summary>The result of checking the numbered citations of a report against the source archive.</summary>
/// <param name="Cited">The citation numbers used in the report body, ascending, without repeats.</param>
/// <param name="References">The reference list: number to the archived source path it resolves to (or the raw entry when it does not resolve).</param>
/// <param name="Dangling">Numbers cited in the body that have no reference entry, or whose entry does not resolve to an existing archived source.</param>
/// <param name="Orphans">Reference entries that the body never cites.</param>
/// <param name="Problems">One readable line per problem; empty when the report is valid.</param>
public sealed record CitationReport(
    IReadOnlyList<int> Cited,
    IReadOnlyDictionary<int, string> References,
    IReadOnlyList<int> Dangling,
    IReadOnlyList<int> Orphans,
    IReadOnlyList<string> Problems)
{
    /// <summary>Gets whether every citation resolves to an archived source and every reference is cited.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>Describes the result for a model or a log.</summary>
    /// <returns>A short summary, then one line per problem.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(IsValid ? "Citations OK: " : "Citation problems: ")
            .Append(Cited.Count).Append(" cited, ")
            .Append(References.Count).Append(" references, ")
            .Append(Dangling.Count).Append(" dangling, ")
            .Append(Orphans.Count).Append(" orphan.");
        foreach (var problem in Problems)
        {
            builder.Append('\n').Append("- ").Append(problem);
        }

        return builder.ToString();
    }
}
