namespace Agents.Samples.ChatApp.Api;

/// <summary>The body of <c>POST /api/conversations/{id}/messages</c>.</summary>
internal sealed class SendMessageRequest
{
    /// <summary>Gets or sets the user's message.</summary>
    public string? Message { get; set; }

    /// <summary>Gets or sets <c>bats</c> or <c>react</c>; default <c>bats</c>.</summary>
    public string? Strategy { get; set; }

    /// <summary>Gets or sets the run's budget; default the server's <c>ChatApp:DefaultBudget</c>.</summary>
    public SessionBudget? Budget { get; set; }
}
