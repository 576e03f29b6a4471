using System.Globalization;

namespace Agents.Conversations;

/// <summary>
/// The argument checks every <see cref="IConversationStore"/> shares, so that all stores refuse the same input with the
/// same words. For implementers of a store (the built-in ones, the Orleans store of <c>Agents.Cluster</c>, or your own):
/// call them first in each method, before touching storage.
/// </summary>
public static class ConversationInput
{
    /// <summary>The most characters a conversation id has.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Checks a conversation id: not empty or white space, at most <see cref="MaxIdLength"/> characters.</summary>
    /// <param name="id">The id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty, white space or too long.</exception>
    public static void ValidateId(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (id.Length > MaxIdLength)
        {
            throw new ArgumentException("A conversation id has at most 128 characters.", nameof(id));
        }
    }

    /// <summary>Returns the title a store keeps: trimmed, and cut to <see cref="ConversationStoreOptions.MaxTitleLength"/>.</summary>
    /// <param name="title">The title asked for; may be empty.</param>
    /// <param name="options">The store's options.</param>
    /// <returns>The title to store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="title"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    public static string NormalizeTitle(string title, ConversationStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(options);
        string trimmed = title.Trim();
        return trimmed.Length <= options.MaxTitleLength ? trimmed : trimmed[..options.MaxTitleLength];
    }

    /// <summary>Checks a turn to append: it has a role and a payload of at most <see cref="ConversationStoreOptions.MaxPayloadLength"/> characters.</summary>
    /// <param name="turn">The turn.</param>
    /// <param name="options">The store's options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="turn"/>, its payload or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The turn has no role, or its payload is too long.</exception>
    public static void ValidateTurn(ConversationTurn turn, ConversationStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(options);
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

    /// <summary>Creates the exception a store throws when a conversation already holds its most turns.</summary>
    /// <param name="id">The conversation id.</param>
    /// <param name="maxTurns">The most turns it may hold (<see cref="ConversationStoreOptions.MaxTurnsPerConversation"/>).</param>
    /// <returns>The exception to throw.</returns>
    public static ConversationLimitException TurnLimitReached(string id, int maxTurns) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Conversation {id} already holds {maxTurns} turns, the most it may; start a new conversation."));
}
