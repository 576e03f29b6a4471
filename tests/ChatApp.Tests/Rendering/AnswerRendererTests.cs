using Agents.Samples.ChatApp.Rendering;

namespace Agents.Samples.ChatApp.Tests.Rendering;

/// <summary>Markdown to sanitized HTML, with citation markers linked to the sources panel.</summary>
public sealed class AnswerRendererTests
{
    private readonly AnswerRenderer _renderer = new();

    [Fact]
    public void Markdown_becomes_html_with_lists_code_and_safe_links()
    {
        var html = _renderer.Render("- one\n- **two**\n\n```\nx < 1\n```\n\n[site](https://example.org/a)", []);

        Assert.Contains("<ul>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>two</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<pre><code>x &lt; 1\n</code></pre>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org/a\"", html, StringComparison.Ordinal);
        Assert.Contains("rel=\"noopener noreferrer nofollow\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("[x](javascript:alert(1))", "javascript:")]
    [InlineData("[x](data:text/html,hi)", "data:")]
    [InlineData("<a href=\"https://e.org\" onclick=\"alert(1)\">x</a>", "onclick=\"alert(1)\">")]
    [InlineData("![img](https://example.org/tracker.png)", "<img")]
    public void Markup_and_unsafe_links_in_the_answer_never_reach_the_page_as_html(string markdown, string forbidden)
    {
        var html = _renderer.Render(markdown, [new Citation(1, "t", "https://example.org/")]);

        Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Citation_markers_link_to_their_sources_but_not_inside_code_or_for_unknown_numbers()
    {
        var html = _renderer.Render("Paris [1], Seine [2] and [7]. `a[1]`", [new Citation(1, "a", "https://a.org/"), new Citation(2, "b", "https://b.org/")]);

        Assert.Contains("<a href=\"#source-1\" class=\"cite\" data-cite=\"1\" aria-label=\"Source 1\">[1]</a>", html, StringComparison.Ordinal);
        Assert.Contains("data-cite=\"2\"", html, StringComparison.Ordinal);
        Assert.Contains(" and [7].", html, StringComparison.Ordinal);
        Assert.Contains("<code>a[1]</code>", html, StringComparison.Ordinal);
    }
}
