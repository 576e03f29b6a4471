namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Server-side maximums; requests above them are refused with 400 or 413.</summary>
internal sealed class ChatAppLimits
{
    /// <summary>Gets or sets the largest accepted request body in bytes. Default 64 KiB.</summary>
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Gets or sets the longest accepted user message in characters. Default 4,000.</summary>
    public int MaxMessageChars { get; set; } = 4_000;

    /// <summary>Gets or sets the most search units one run may spend. Default 50.</summary>
    public int MaxSearchUnits { get; set; } = 50;

    /// <summary>Gets or sets the most browse units one run may spend. Default 50.</summary>
    public int MaxBrowseUnits { get; set; } = 50;

    /// <summary>Gets or sets the most model tokens (input + output) one run may spend. Default 500,000.</summary>
    public long MaxTokens { get; set; } = 500_000;

    /// <summary>Gets or sets the most money one run may spend, in US dollars. Default 2.</summary>
    public decimal MaxCostUsd { get; set; } = 2m;

    /// <summary>Gets or sets how long one run may take before the server cancels it. Default 10 minutes.</summary>
    public TimeSpan MaxRunDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the largest <c>max_tokens</c> a <c>/v1/chat/completions</c> request may ask for. Default 4,096.</summary>
    public int MaxCompletionTokens { get; set; } = 4_096;

    /// <summary>Gets or sets the most characters of messages one <c>/v1/chat/completions</c> request may send. Default 32,000.</summary>
    public int MaxCompletionPromptChars { get; set; } = 32_000;

    /// <summary>Gets or sets how many messages (user and assistant) one conversation keeps before new questions are refused. Default 200.</summary>
    public int MaxMessagesPerConversation { get; set; } = 200;

    /// <summary>Gets or sets how many conversations the server keeps. Default 200.</summary>
    public int MaxConversations { get; set; } = 200;
}
