namespace Agents.Samples.Tests.OfflineWeb;

public sealed class OfflineWebGeneratorTests
{
    private static OfflineCorpus Generate(int seed = 42, int questions = 20) =>
        new OfflineWebGenerator(new OfflineWebOptions { Seed = seed, Questions = questions }).Generate();

    [Fact]
    public void Same_seed_gives_identical_pages_and_questions()
    {
        var a = Generate(7);
        var b = Generate(7);
        Assert.Equal(a.Pages.Select(p => p.Html), b.Pages.Select(p => p.Html));
        Assert.Equal(a.Questions.Select(q => (q.Question, q.Answer)), b.Questions.Select(q => (q.Question, q.Answer)));
    }

    [Fact]
    public void Different_seeds_give_different_webs()
    {
        Assert.NotEqual(Generate(1).Entities.Select(e => e.Name), Generate(2).Entities.Select(e => e.Name));
    }

    [Fact]
    public void One_page_per_entity_and_every_link_resolves()
    {
        var corpus = Generate();
        var options = new OfflineWebOptions();
        Assert.Equal(options.Countries + options.Rivers + options.Cities + options.People + options.Companies, corpus.Entities.Count);
        Assert.Equal(corpus.Entities.Count, corpus.Pages.Count);
        Assert.Equal(corpus.Entities.Count, corpus.Entities.Select(e => e.Id).Distinct().Count());
        Assert.Equal(corpus.Entities.Count, corpus.Entities.Select(e => e.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var page in corpus.Pages)
        {
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(page.Html, "href=\"(/wiki/[^\"]+)\""))
            {
                Assert.True(corpus.TryGetPage(m.Groups[1].Value, out _), $"{page.Path} links to missing {m.Groups[1].Value}");
            }
        }
    }

    [Fact]
    public void Pages_state_relations_and_attributes_of_their_entity()
    {
        var corpus = Generate();
        var company = corpus.Entities.First(e => e.Kind == EntityKind.Company);
        Assert.True(corpus.TryGetPage("/wiki/" + company.Id, out var page));
        var founder = corpus.GetEntity(company.Relations.Single(r => r.Name == RelationNames.FoundedBy).TargetId);
        Assert.Contains($"href=\"/wiki/{founder.Id}\"", page.Html, StringComparison.Ordinal);
        Assert.Contains(company.Attributes[AttributeNames.Industry], page.Text, StringComparison.Ordinal);
        Assert.Contains(company.Attributes[AttributeNames.Founded], page.Text, StringComparison.Ordinal);

        // Backlinks: the founder's page lists the company.
        Assert.True(corpus.TryGetPage("/wiki/" + founder.Id, out var founderPage));
        Assert.Contains(company.Name, founderPage.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Questions_need_2_to_4_hops_have_constraints_and_follow_real_relations()
    {
        var corpus = Generate(questions: 40);
        Assert.Equal(40, corpus.Questions.Count);
        Assert.Equal(40, corpus.Questions.Select(q => q.Question).Distinct().Count());
        foreach (var q in corpus.Questions)
        {
            Assert.InRange(q.Hops, 2, 4);
            Assert.Equal(q.Hops + 1, q.EntityPath.Count);
            Assert.InRange(q.Constraints.Count, 1, 3);
            Assert.Equal(q.EntityPath.Count, q.EntityPath.Distinct().Count());

            // Consecutive entities on the path are linked by a relation one way or the other.
            for (int i = 0; i + 1 < q.EntityPath.Count; i++)
            {
                var a = corpus.GetEntity(q.EntityPath[i]);
                var b = corpus.GetEntity(q.EntityPath[i + 1]);
                Assert.True(a.Relations.Any(r => r.TargetId == b.Id) || b.Relations.Any(r => r.TargetId == a.Id), $"{q.Id}: {a.Id} and {b.Id} are not related");
            }

            // The anchor is named in the question; the target's name is the answer or the answer is one of its attributes.
            var anchor = corpus.GetEntity(q.EntityPath[0]);
            var target = corpus.GetEntity(q.EntityPath[^1]);
            Assert.Contains(anchor.Name, q.Question, StringComparison.Ordinal);
            Assert.True(q.Answer == target.Name || target.Attributes.Values.Contains(q.Answer), $"{q.Id}: answer {q.Answer} does not belong to {target.Id}");
            if (q.Answer == target.Name)
            {
                Assert.DoesNotContain(target.Name, q.Question, StringComparison.Ordinal);
            }
        }

        Assert.Contains(corpus.Questions, q => q.Hops == 2);
        Assert.Contains(corpus.Questions, q => q.Hops == 4);
    }

    [Fact]
    public void Hop_range_is_respected()
    {
        var corpus = new OfflineWebGenerator(new OfflineWebOptions { MinHops = 3, MaxHops = 3, Questions = 10 }).Generate();
        Assert.All(corpus.Questions, q => Assert.Equal(3, q.Hops));
    }

    [Theory]
    [InlineData(nameof(OfflineWebOptions.Countries), 1)]
    [InlineData(nameof(OfflineWebOptions.People), 0)]
    [InlineData(nameof(OfflineWebOptions.Questions), -1)]
    [InlineData(nameof(OfflineWebOptions.MinHops), 1)]
    [InlineData(nameof(OfflineWebOptions.MaxHops), 5)]
    public void Invalid_options_name_the_option(string option, int value)
    {
        var options = new OfflineWebOptions();
        typeof(OfflineWebOptions).GetProperty(option)!.SetValue(options, value);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new OfflineWebGenerator(options));
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_questions_for_a_tiny_web_is_a_clear_error()
    {
        var options = new OfflineWebOptions { Countries = 2, Rivers = 2, Cities = 2, People = 2, Companies = 2, Questions = 100_000 };
        var ex = Assert.Throws<InvalidOperationException>(() => new OfflineWebGenerator(options).Generate());
        Assert.Contains("unique questions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_entity_id_is_a_clear_error()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => Generate().GetEntity("no-such-entity"));
        Assert.Contains("no-such-entity", ex.Message, StringComparison.Ordinal);
    }
}
