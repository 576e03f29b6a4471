namespace Agents.Samples.Tests.Fakes;

/// <summary>A chat/completions request as the fake received it, and its JSON <paramref name="Body"/> as sent.</summary>
public sealed record FakeChatRequest(string Model, IReadOnlyList<FakeChatMessage> Messages, IReadOnlyList<string> ToolNames, bool Stream, string Body)
{
    /// <summary>The first user message (the question, usually).</summary>
    public string FirstUser => Messages.FirstOrDefault(m => m.Role == "user")?.Content ?? string.Empty;

    /// <summary>All text the model has seen, joined.</summary>
    public string AllText => string.Join("\n", Messages.Select(m => m.Content));

    /// <summary>The system prompt.</summary>
    public string System => Messages.FirstOrDefault(m => m.Role is "system" or "developer")?.Content ?? string.Empty;

    /// <summary>Tool results since the last assistant message without tool calls.</summary>
    public IReadOnlyList<FakeChatMessage> ToolResults => Messages.Where(m => m.Role == "tool").ToList();
}
