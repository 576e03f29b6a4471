namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Options of the chat app, bound from the <c>ChatApp</c> configuration section.</summary>
internal sealed class ChatAppOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "ChatApp";

    /// <summary>
    /// Gets or sets the addresses Kestrel listens on, separated by <c>;</c>. Default <c>http://127.0.0.1:5080</c>
    /// (loopback only). A non-loopback address requires <see cref="ApiKey"/>.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// Gets or sets the API key clients must send (<c>X-Api-Key</c> or <c>Authorization: Bearer</c>) on every
    /// <c>/api</c> and <c>/v1</c> request. Default <see langword="null"/>: no key, allowed only on loopback.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets the extra host names clients may use in the <c>Host</c> header, separated by <c>;</c>
    /// (names, IP addresses, <c>*.example.org</c>, or <c>*</c> for any host). Default none: only loopback names
    /// (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>) and the addresses the server is bound to (with a wildcard
    /// bind such as <c>0.0.0.0</c>: this machine's interface addresses) are answered; any other <c>Host</c> gets 400,
    /// which stops DNS-rebinding pages from reaching the app.
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary>
    /// Gets or sets the SQLite file that keeps the conversations of a single process, so that a restart loses none.
    /// A relative path is relative to the current directory. Default <c>data/conversations.db</c>.
    /// </summary>
    public string ConversationsPath { get; set; } = Path.Combine("data", "conversations.db");

    /// <summary>Gets cluster mode's settings (<c>--cluster redis://host:port</c>).</summary>
    public ChatAppClusterOptions Cluster { get; set; } = new();

    /// <summary>Gets the server-side limits that no request can exceed.</summary>
    public ChatAppLimits Limits { get; set; } = new();

    /// <summary>
    /// Gets or sets the units a run offers to continue with when a tool category is spent: the page asks "The search
    /// budget is spent; continue with 5 more?" and the run waits for the answer. Default 5; 0 never asks.
    /// </summary>
    public int AskForMoreUnits { get; set; } = 5;

    /// <summary>Gets or sets how long a run waits for the answer to such a question before taking it as a decline. Default 5 minutes.</summary>
    public TimeSpan AskTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the budget a conversation starts with when the page sends none.</summary>
    public SessionBudget DefaultBudget { get; set; } = new()
    {
        SearchUnits = 10,
        BrowseUnits = 10,
        MaxTokens = 50_000,
        MaxCostUsd = 0.25m,
    };
}
