namespace Agents.Samples.Tests.OfflineWeb;

/// <summary>Issue 14's benchmark: the offline web with pages N times today's size, and nothing else changed.</summary>
public sealed class PageSizeFactorTests
{
    [Fact]
    public void Pages_grow_about_tenfold_while_entities_links_and_questions_stay_the_same()
    {
        var today = new OfflineWebGenerator(new OfflineWebOptions { Questions = 5 }).Generate();
        var big = new OfflineWebGenerator(new OfflineWebOptions { Questions = 5, PageSizeFactor = 10 }).Generate();

        Assert.Equal(10, big.PageSizeFactor);
        Assert.Equal(today.Questions.Select(q => (q.Question, q.Answer)), big.Questions.Select(q => (q.Question, q.Answer)));
        double ratio = big.Pages.Average(p => p.Text.Length) / today.Pages.Average(p => p.Text.Length);
        Assert.InRange(ratio, 9.5, 11);
        for (int i = 0; i < today.Pages.Count; i++)
        {
            var small = today.Pages[i];
            var large = big.Pages[i];
            Assert.Equal(Links(small.Html), Links(large.Html));
            foreach (string line in small.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.Contains(line, large.Text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_padding_never_holds_an_answer_and_absolute_renders_keep_it()
    {
        var today = new OfflineWebGenerator(new OfflineWebOptions { Questions = 10 }).Generate();
        var big = new OfflineWebGenerator(new OfflineWebOptions { Questions = 10, PageSizeFactor = 10 }).Generate();
        var rendered = OfflineCorpusWriter.Render(big, new Uri("http://127.0.0.1:5555/"));

        for (int i = 0; i < today.Pages.Count; i++)
        {
            string padding = big.Pages[i].Text;
            // Longest first: the title line is also part of the lead paragraph.
            foreach (string line in today.Pages[i].Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).OrderByDescending(l => l.Length))
            {
                padding = padding.Replace(line, string.Empty, StringComparison.Ordinal);
            }

            Assert.DoesNotMatch("[0-9]", padding);
            Assert.All(big.Questions, q => Assert.DoesNotMatch(@"\b" + System.Text.RegularExpressions.Regex.Escape(q.Answer) + @"\b", padding));
            Assert.Equal(big.Pages[i].Text, rendered[i].Text);
        }
    }

    [Fact]
    public void A_factor_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OfflineWebGenerator(new OfflineWebOptions { PageSizeFactor = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OfflineWebGenerator(new OfflineWebOptions { PageSizeFactor = 101 }));
    }

    private static string[] Links(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, "href=\"([^\"]+)\"").Select(m => m.Groups[1].Value)];
}
