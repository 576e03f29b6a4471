using System.Collections.Concurrent;

namespace Agents.Plugins.Search;

/// <summary>An in-memory cache of query results with <see cref="TimeProvider"/>-based expiry.</summary>
internal sealed class SearchResultCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _duration;
    private readonly int _capacity;

    public SearchResultCache(TimeProvider timeProvider, TimeSpan duration, int capacity)
    {
        _timeProvider = timeProvider;
        _duration = duration;
        _capacity = capacity;
    }

    public bool Enabled => _duration > TimeSpan.Zero;

    public static string Key(string query) => string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    public bool Contains(string key) => TryGet(key, out _);

    public bool TryGet(string key, out IReadOnlyList<SearchHit> hits)
    {
        if (Enabled && _entries.TryGetValue(key, out var entry))
        {
            if (entry.ExpiresAt > _timeProvider.GetUtcNow())
            {
                hits = entry.Hits;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }

        hits = [];
        return false;
    }

    public void Set(string key, IReadOnlyList<SearchHit> hits)
    {
        if (!Enabled)
        {
            return;
        }

        var now = _timeProvider.GetUtcNow();
        _entries[key] = new Entry(hits, now + _duration, now);
        if (_entries.Count > _capacity)
        {
            foreach (var stale in _entries.Where(e => e.Value.ExpiresAt <= now).ToList())
            {
                _entries.TryRemove(stale);
            }

            foreach (var oldest in _entries.OrderBy(e => e.Value.StoredAt).Take(_entries.Count - _capacity).ToList())
            {
                _entries.TryRemove(oldest);
            }
        }
    }

    private sealed record Entry(IReadOnlyList<SearchHit> Hits, DateTimeOffset ExpiresAt, DateTimeOffset StoredAt);
}
