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

    /// <summary>Gets the server-side limits that no request can exceed.</summary>
    public ChatAppLimits Limits { get; set; } = new();

    /// <summary>Gets the budget a conversation starts with when the page sends none.</summary>
    public SessionBudget DefaultBudget { get; set; } = new()
    {
        SearchUnits = 10,
        BrowseUnits = 10,
        MaxTokens = 50_000,
        MaxCostUsd = 0.25m,
    };
}
