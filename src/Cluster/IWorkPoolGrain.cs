namespace Agents.Cluster;

/// <summary>One work pool with leased claims and results recorded once, keyed by pool id.</summary>
internal interface IWorkPoolGrain : IGrainWithStringKey
{
    Task<int> AddAsync(List<string> keys);

    Task<ClaimView?> ClaimAsync(string worker, TimeSpan lease);

    Task<bool> RenewAsync(string key, string claimId, TimeSpan lease);

    Task<bool> ReleaseAsync(string key, string claimId);

    Task<WorkCompletion> CompleteAsync(string key, string result);

    Task<WorkPoolStatus> GetStatusAsync();

    Task<Dictionary<string, string>> GetResultsAsync();
}
