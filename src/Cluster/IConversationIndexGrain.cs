namespace Agents.Cluster;

/// <summary>The list of conversations of one store (key: the store name), oldest first, with the maximum count enforced here.</summary>
internal interface IConversationIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds an entry unless the index already holds <paramref name="maxConversations"/>.</summary>
    Task<bool> TryAddAsync(IndexEntry entry, int maxConversations);

    Task UpdateAsync(string id, string? title, int? turnCount);

    Task RemoveAsync(string id);

    Task<List<IndexEntry>> ListAsync();
}
