namespace Agents.Samples.OfflineWeb.World;

/// <summary>A generated offline web: entities, their pages and the questions over them.</summary>
public sealed class OfflineCorpus
{
    private readonly Dictionary<string, WebEntity> _entities;
    private readonly Dictionary<string, WebPage> _pagesByPath;

    /// <summary>Creates a corpus from its parts.</summary>
    /// <param name="seed">The seed the corpus was generated with.</param>
    /// <param name="entities">The entities (ids unique).</param>
    /// <param name="pages">One page per entity.</param>
    /// <param name="questions">The questions.</param>
    public OfflineCorpus(int seed, IReadOnlyList<WebEntity> entities, IReadOnlyList<WebPage> pages, IReadOnlyList<MultiHopQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(questions);
        Seed = seed;
        Entities = entities;
        Pages = pages;
        Questions = questions;
        _entities = entities.ToDictionary(e => e.Id, StringComparer.Ordinal);
        _pagesByPath = pages.ToDictionary(p => p.Path, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The generator seed.</summary>
    public int Seed { get; }

    /// <summary>How many times its facts' length each page's text is (see <c>OfflineWebOptions.PageSizeFactor</c>). Default 1.</summary>
    public int PageSizeFactor { get; init; } = 1;

    /// <summary>All entities, in generation order.</summary>
    public IReadOnlyList<WebEntity> Entities { get; }

    /// <summary>All pages, one per entity.</summary>
    public IReadOnlyList<WebPage> Pages { get; }

    /// <summary>The multi-hop questions with their answers.</summary>
    public IReadOnlyList<MultiHopQuestion> Questions { get; }

    /// <summary>Returns the entity with the given id.</summary>
    /// <exception cref="KeyNotFoundException">No entity has that id.</exception>
    public WebEntity GetEntity(string id) =>
        _entities.TryGetValue(id, out var e) ? e : throw new KeyNotFoundException($"No entity with id '{id}' in the offline corpus.");

    /// <summary>Finds the page served at a site-relative path such as <c>/wiki/velora-river</c>.</summary>
    public bool TryGetPage(string path, out WebPage page)
    {
        if (_pagesByPath.TryGetValue(path, out var found))
        {
            page = found;
            return true;
        }

        page = null!;
        return false;
    }
}
