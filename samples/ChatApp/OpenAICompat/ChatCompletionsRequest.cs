namespace Agents.Samples.ChatApp.OpenAICompat;

/// <summary>A parsed <c>chat/completions</c> request.</summary>
/// <param name="Messages">The conversation.</param>
/// <param name="Options">Sampling options and tools.</param>
/// <param name="Stream">Whether to answer with Server-Sent Events.</param>
/// <param name="IncludeUsage">Whether a streamed answer ends with a usage chunk.</param>
/// <param name="Choices">How many replies (<c>n</c>); above 1 only without streaming.</param>
internal sealed record ChatCompletionsRequest(List<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage, int Choices = 1);
