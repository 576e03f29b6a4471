using Agents.Samples.OfflineWeb.Search;

namespace Agents.Samples.Tests.OfflineWeb;

public sealed class OfflineSearchIndexTests
{
    private static readonly Agents.Samples.OfflineWeb.World.OfflineCorpus Corpus = new OfflineWebGenerator(new OfflineWebOptions { Questions = 0 }).Generate();

    [Fact]
    public void Every_entity_name_finds_its_own_page_first()
    {
        var index = new OfflineSearchIndex(Corpus);
        foreach (var entity in Corpus.Entities)
        {
            var hits = index.Search(entity.Name, 3);
            Assert.Equal("/wiki/" + entity.Id, hits[0].Path);
        }
    }

    [Fact]
    public void Results_are_ranked_capped_and_blank_queries_find_nothing()
    {
        var index = new OfflineSearchIndex(Corpus);
        var hits = index.Search("city population founded", 5);
        Assert.Equal(5, hits.Count);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Empty(index.Search("   ,,, ", 5));
        Assert.Empty(index.Search("zzzzqqqq", 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search("city", 0));
    }
}
