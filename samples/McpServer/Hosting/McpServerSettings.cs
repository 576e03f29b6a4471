namespace Agents.Samples.McpServer.Hosting;

/// <summary>Settings of the MCP server, bound from the <c>Mcp</c> section (arguments such as <c>--Mcp:Transport=http</c>).</summary>
internal sealed class McpServerSettings
{
    public const string SectionName = "Mcp";

    /// <summary>Gets or sets <c>stdio</c> (default) or <c>http</c> (Streamable HTTP at <c>/mcp</c>).</summary>
    public string Transport { get; set; } = "stdio";

    /// <summary>Gets or sets the HTTP addresses, <c>;</c>-separated. Default <c>http://127.0.0.1:5090</c>.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5090";

    /// <summary>Gets or sets the key HTTP clients must send (<c>Authorization: Bearer</c> or <c>X-Api-Key</c>); required off loopback.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets the extra host names HTTP clients may use in the <c>Host</c> header, <c>;</c>-separated (names, IP
    /// addresses, <c>*.example.org</c>, or <c>*</c> for any). Default none: only loopback names and the bound addresses
    /// (with a wildcard bind: this machine's interface addresses); any other <c>Host</c> gets 400 (DNS rebinding).
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary>
    /// Gets or sets the extra web origins (<c>scheme://host[:port]</c>, <c>;</c>-separated, or <c>*</c> for any) whose pages
    /// may call <c>/mcp</c>. Default none: a request with an <c>Origin</c> header is answered only when that origin is this
    /// server itself (a loopback name or allowed host on a bound port); any other gets 403, as the MCP Streamable HTTP
    /// specification requires. Requests without <c>Origin</c> (non-browser clients) are not affected.
    /// </summary>
    public string? AllowedOrigins { get; set; }

    /// <summary>Gets or sets the server-side budget every tool call is charged to.</summary>
    public McpBudgetSettings Budget { get; set; } = new();

    /// <summary>Gets or sets cluster mode: the replicas that share one budget over Redis.</summary>
    public McpClusterSettings Cluster { get; set; } = new();

    /// <summary>Gets or sets the largest accepted HTTP request body in bytes. Default 256 KiB.</summary>
    public int MaxRequestBytes { get; set; } = 256 * 1024;
}
