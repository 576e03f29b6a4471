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

    /// <summary>Gets or sets whether browsing may reach loopback and private addresses. Default <see langword="false"/>.</summary>
    public bool AllowPrivateNetworks { get; set; }
}
