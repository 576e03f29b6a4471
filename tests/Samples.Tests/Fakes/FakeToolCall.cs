namespace Agents.Samples.Tests.Fakes;

/// <summary>A tool call in the OpenAI wire format.</summary>
public sealed record FakeToolCall(string Id, string Name, string ArgumentsJson);
