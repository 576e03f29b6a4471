namespace Agents.Conversations;

/// <summary>One stored message of a conversation.</summary>
/// <param name="Role">Who spoke: <c>user</c>, <c>assistant</c> or another role the application uses.</param>
/// <param name="Payload">What the application keeps of the turn, as it serialized it (usually JSON: text, steps, sources, budget). Stored as given.</param>
public sealed record ConversationTurn(string Role, string Payload);
