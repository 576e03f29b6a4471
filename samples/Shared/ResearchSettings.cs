namespace Agents.Samples.Shared;

/// <summary>Which tools the research agents get, bound from a sample's <c>Research</c> section.</summary>
internal sealed class ResearchSettings
{
    /// <summary>The configuration section name, under the app's own section.</summary>
    public const string SectionName = "Research";

    /// <summary>Gets or sets <c>local</c> (a Lucene index over <see cref="DocumentsFolder"/>, the default) or <c>searxng</c>.</summary>
    public string SearchProvider { get; set; } = "local";

    /// <summary>Gets or sets the folder of documents the local search engine indexes.</summary>
    public string? DocumentsFolder { get; set; }

    /// <summary>Gets or sets the SearXNG base address (provider <c>searxng</c>).</summary>
    public string? SearxngUrl { get; set; }

    /// <summary>Gets or sets the folder the file-system memory tools work in. Default <c>research-workspace</c>.</summary>
    public string WorkspaceRoot { get; set; } = "research-workspace";

    /// <summary>Gets or sets how pages are read: <c>http</c> (plain fetch, the default) or <c>chromium</c> (Playwright, renders JavaScript).</summary>
    public string Browser { get; set; } = "http";

    /// <summary>Gets or sets the Chromium executable for <c>chromium</c>; default Debian's <c>/usr/bin/chromium</c> when present.</summary>
    public string? ChromiumPath { get; set; }

    /// <summary>Gets or sets whether browsing may reach loopback addresses (127.0.0.1, ::1). Default <see langword="false"/>.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Gets or sets whether browsing may reach private and link-local networks. Default <see langword="false"/>.</summary>
    public bool AllowPrivateNetworks { get; set; }
}
