namespace Agents.Conversations;

/// <summary>
/// Where a chat application keeps its conversations, so that a restarted process, or another replica, serves them
/// again. Implementations: <see cref="InMemoryConversationStore"/> (one process, lost on restart),
/// <see cref="SqliteConversationStore"/> (one process, survives restarts: the default), and the Orleans store of
/// <c>Agents.Cluster</c> (every replica of a cluster).
/// </summary>
/// <remarks>Every method is safe to call concurrently. An append is durable when its task completes.</remarks>
public interface IConversationStore
{
    /// <summary>Creates an empty conversation with a new id.</summary>
    /// <param name="title">The title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new conversation, or <see langword="null"/> when the store already holds its maximum number.</returns>
    Task<ConversationSummary?> TryCreateAsync(string title, CancellationToken cancellationToken);

    /// <summary>Reads a whole conversation.</summary>
    /// <param name="id">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The conversation, or <see langword="null"/> when there is none with that id.</returns>
    Task<ConversationDocument?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists the conversations, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The conversations.</returns>
    Task<IReadOnlyList<ConversationSummary>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Appends a turn.</summary>
    /// <param name="id">The conversation id.</param>
    /// <param name="turn">The turn.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when there is no conversation with that id.</returns>
    Task<bool> AppendAsync(string id, ConversationTurn turn, CancellationToken cancellationToken);

    /// <summary>Renames a conversation.</summary>
    /// <param name="id">The conversation id.</param>
    /// <param name="title">The new title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when there is no conversation with that id.</returns>
    Task<bool> SetTitleAsync(string id, string title, CancellationToken cancellationToken);

    /// <summary>Deletes a conversation and its turns.</summary>
    /// <param name="id">The conversation id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when there was none with that id.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
