namespace Agents.Plugins.Tests.TestSupport;

/// <summary>The reply the reading and summarising models give in these tests: text with 50 input and 5 output tokens.</summary>
internal static class ModelReply
{
    public static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 5, TotalTokenCount = 55 },
    };
}
