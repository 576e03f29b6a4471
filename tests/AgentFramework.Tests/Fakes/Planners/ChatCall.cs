using Microsoft.Extensions.AI;

namespace Agents.AgentFramework.Tests.Fakes.Planners;

/// <summary>One call the fake model received.</summary>
internal sealed record ChatCall(int Index, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    public string System => Messages.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? string.Empty;

    public string LastUser => Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;

    public bool HasTools => Options?.Tools is { Count: > 0 };

    public string AllText => string.Join("\n", Messages.Select(m => m.Text));
}
