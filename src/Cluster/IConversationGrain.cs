namespace Agents.Cluster;

/// <summary>One conversation, keyed by its id, served by whichever silo holds it.</summary>
internal interface IConversationGrain : IGrainWithStringKey
{
    Task<bool> CreateAsync(string title, DateTimeOffset createdAt);

    /// <summary>A copy of the conversation; <see cref="ConversationGrainState.Exists"/> false for an id never created or deleted.</summary>
    Task<ConversationGrainState> GetAsync();

    /// <summary>Appends a turn; <see langword="null"/> when the conversation does not exist, else the new turn count (or -1 when it is full).</summary>
    Task<int?> AppendAsync(StoredTurn turn, int maxTurns);

    Task<bool> SetTitleAsync(string title);

    Task<bool> DeleteAsync();
}
