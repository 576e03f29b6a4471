using Microsoft.Extensions.AI;

namespace Agents.AgentFramework.Tests.Fakes.Planners;

/// <summary>Builds model replies with usage.</summary>
internal static class Reply
{
    public const long InputTokens = 100;
    public const long OutputTokens = 10;

    public static ChatResponse Text(string text, ChatFinishReason? finish = null) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens, TotalTokenCount = InputTokens + OutputTokens },
            FinishReason = finish ?? ChatFinishReason.Stop,
        };

    public static ChatResponse Tool(string name, IDictionary<string, object?>? arguments = null, string? callId = null, string text = "") =>
        Tools(text, (name, arguments ?? new Dictionary<string, object?>(), callId ?? "call-" + Guid.NewGuid().ToString("N")[..6]));

    public static ChatResponse Tools(string text, params (string Name, IDictionary<string, object?> Arguments, string CallId)[] calls)
    {
        var contents = new List<AIContent>();
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text));
        }

        contents.AddRange(calls.Select(c => new FunctionCallContent(c.CallId, c.Name, c.Arguments)));
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens, TotalTokenCount = InputTokens + OutputTokens },
            FinishReason = ChatFinishReason.ToolCalls,
        };
    }

    public static ChatResponse Search(params string[] queries) =>
        Tool("search", new Dictionary<string, object?> { ["queries"] = queries });
}
