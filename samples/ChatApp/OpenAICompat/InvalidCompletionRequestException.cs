namespace Agents.Samples.ChatApp.OpenAICompat;

/// <summary>A <c>chat/completions</c> request is invalid; the message names the field.</summary>
internal sealed class InvalidCompletionRequestException : Exception
{
    public InvalidCompletionRequestException(string message, string? param)
        : base(message)
    {
        Param = param;
    }

    /// <summary>Gets the offending field, as OpenAI's <c>param</c>.</summary>
    public string? Param { get; }
}
