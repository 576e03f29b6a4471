namespace Agents.Samples.ChatApp.Agents;

/// <summary>A source cited by an answer, shown in the answer's sources panel.</summary>
/// <param name="Number">The number used in the answer text, for example 1 for <c>[1]</c>.</param>
/// <param name="Title">The title shown for the link.</param>
/// <param name="Url">The address; the page makes links only from http and https addresses.</param>
internal sealed record Citation(int Number, string Title, string Url)
{
    /// <summary>Gets the quoted evidence: the search snippet or page text the agent saw for this source, if any.</summary>
    public string? Evidence { get; init; }

    /// <summary>Gets the path of the archived copy in the run's workspace, for pages the agent read.</summary>
    public string? Archive { get; init; }
}
