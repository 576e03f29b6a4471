namespace Agents.Samples.ChatApp.Api;

/// <summary>The body of <c>POST /api/conversations/{id}/asks/{askId}</c>.</summary>
internal sealed class AnswerAskRequest
{
    /// <summary>Gets or sets whether to continue with the units offered (<see langword="true"/>) or stop (<see langword="false"/>).</summary>
    public bool? Grant { get; set; }
}
