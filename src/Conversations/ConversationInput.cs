using System.Globalization;

namespace Agents.Conversations;

/// <summary>The argument checks every store shares, so that all stores refuse the same input with the same words.</summary>
internal static class ConversationInput
{
    public static void Id(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (id.Length > 128)
        {
            throw new ArgumentException("A conversation id has at most 128 characters.", nameof(id));
        }
    }

    public static string Title(string title, ConversationStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(title);
        string trimmed = title.Trim();
        return trimmed.Length <= options.MaxTitleLength ? trimmed : trimmed[..options.MaxTitleLength];
    }

    public static void Turn(ConversationTurn turn, ConversationStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (string.IsNullOrWhiteSpace(turn.Role))
        {
            throw new ArgumentException("A turn needs a role (user, assistant, ...).", nameof(turn));
        }

        ArgumentNullException.ThrowIfNull(turn.Payload, nameof(turn));
        if (turn.Payload.Length > options.MaxPayloadLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The turn's payload has {turn.Payload.Length} characters; the store keeps at most {options.MaxPayloadLength}."), nameof(turn));
        }
    }

    public static ConversationLimitException Full(string id, int max) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Conversation {id} already holds {max} turns, the most it may; start a new conversation."));
}
