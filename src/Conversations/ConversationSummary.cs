namespace Agents.Conversations;

/// <summary>A conversation without its turns, for lists.</summary>
/// <param name="Id">The conversation id.</param>
/// <param name="Title">The title.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="TurnCount">How many turns it holds.</param>
public sealed record ConversationSummary(string Id, string Title, DateTimeOffset CreatedAt, int TurnCount);
