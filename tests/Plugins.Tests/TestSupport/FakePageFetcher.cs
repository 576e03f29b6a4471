namespace Agents.Plugins.Tests.TestSupport;

/// <summary>A page fetcher driven by a callback; counts calls.</summary>
public sealed class FakePageFetcher(Func<Uri, FetchedPage> answer) : IPageFetcher
{
    private int _calls;

    public string Name => "fake";

    public int Calls => Volatile.Read(ref _calls);

    public Task<FetchedPage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(answer(url));
    }

    public static FakePageFetcher Html(string html) => new(u => new FetchedPage(u, 200, "text/html", System.Text.Encoding.UTF8.GetBytes(html)));
}
