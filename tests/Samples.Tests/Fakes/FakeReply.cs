namespace Agents.Samples.Tests.Fakes;

/// <summary>What the scripted model answers: text, or tool calls.</summary>
public sealed record FakeReply(string? Text, IReadOnlyList<(string Name, string ArgumentsJson)> ToolCalls, int PromptTokens = 100, int CompletionTokens = 20)
{
    public static FakeReply Say(string text) => new(text, []);

    public static FakeReply Call(string name, string argumentsJson) => new(null, [(name, argumentsJson)]);
}
