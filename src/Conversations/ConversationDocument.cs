namespace Agents.Conversations;

/// <summary>A whole conversation: its title and every turn, oldest first.</summary>
/// <param name="Id">The conversation id.</param>
/// <param name="Title">The title.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Turns">The turns, in the order they were appended.</param>
public sealed record ConversationDocument(string Id, string Title, DateTimeOffset CreatedAt, IReadOnlyList<ConversationTurn> Turns);
