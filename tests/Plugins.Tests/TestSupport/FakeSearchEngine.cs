namespace Agents.Plugins.Tests.TestSupport;

/// <summary>A search engine driven by a callback; counts calls.</summary>
public sealed class FakeSearchEngine(Func<string, int, IReadOnlyList<SearchHit>> answer) : ISearchEngine
{
    private int _calls;

    public string Name => "fake";

    public int Calls => Volatile.Read(ref _calls);

    public Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(answer(query, maxResults));
    }
}
