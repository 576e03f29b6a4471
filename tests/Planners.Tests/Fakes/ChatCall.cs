using Microsoft.Extensions.AI;

namespace Agents.Planners.Tests.Fakes;

/// <summary>One call the fake model received.</summary>
public sealed record ChatCall(int Index, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    public string System => Messages.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? string.Empty;

    public string LastUser => Messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;

    public bool HasTools => Options?.Tools is { Count: > 0 };

    public string AllText => string.Join("\n", Messages.Select(m => m.Text));
}
