namespace Agents.Samples.ChatApp.Agents;

/// <summary>A source cited by an answer.</summary>
/// <param name="Number">The number used in the answer text, for example 1 for <c>[1]</c>.</param>
/// <param name="Title">The title shown for the link.</param>
/// <param name="Url">The address; the page makes links only from http and https addresses.</param>
internal sealed record Citation(int Number, string Title, string Url);
