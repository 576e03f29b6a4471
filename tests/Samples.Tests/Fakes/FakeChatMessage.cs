namespace Agents.Samples.Tests.Fakes;

/// <summary>A message as the fake OpenAI server received it.</summary>
public sealed record FakeChatMessage(string Role, string Content, IReadOnlyList<FakeToolCall> ToolCalls, string? ToolCallId);
