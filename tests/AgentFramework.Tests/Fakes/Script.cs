using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.AgentFramework.Tests.Fakes;

/// <summary>Helpers to script model responses.</summary>
internal static class Script
{
    public static ChatResponse ToolCalls(string toolName, int calls, int unitsPerCall, int inputTokens, int outputTokens, int turn)
    {
        var contents = new List<AIContent>();
        for (int i = 0; i < calls; i++)
        {
            string queries = JsonSerializer.Serialize(Enumerable.Range(0, unitsPerCall).Select(q => $"q{turn}.{i}.{q}"));
            contents.Add(new FunctionCallContent($"call-{turn}-{i}", toolName, new Dictionary<string, object?> { ["queries"] = JsonDocument.Parse(queries).RootElement.Clone() }));
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = "fake-model",
            ResponseId = $"r{turn}",
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        };
    }

    public static ChatResponse Answer(string text, int inputTokens, int outputTokens) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = "fake-model",
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        };

    public static string? LastToolResult(IEnumerable<ChatMessage> messages)
    {
        ChatMessage? last = messages.LastOrDefault();
        if (last?.Role != ChatRole.Tool)
        {
            return null;
        }

        return last.Contents.OfType<FunctionResultContent>().LastOrDefault()?.Result?.ToString();
    }

    public static IEnumerable<string> AllToolResults(IEnumerable<ChatMessage> messages) =>
        messages.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents.OfType<FunctionResultContent>()).Select(r => r.Result?.ToString() ?? string.Empty);
}
