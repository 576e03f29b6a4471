namespace Agents.Samples.Tests.Fakes;

/// <summary>
/// What the scripted model answers: text, or tool calls; or, where <paramref name="Status"/> is not 200, a failure in
/// OpenAI's error shape with an optional <c>Retry-After</c> of <paramref name="RetryAfterSeconds"/>.
/// </summary>
public sealed record FakeReply(
    string? Text,
    IReadOnlyList<(string Name, string ArgumentsJson)> ToolCalls,
    int PromptTokens = 100,
    int CompletionTokens = 20,
    int Status = 200,
    int? RetryAfterSeconds = null)
{
    public static FakeReply Say(string text) => new(text, []);

    public static FakeReply Call(string name, string argumentsJson) => new(null, [(name, argumentsJson)]);

    public static FakeReply Fail(int status, int? retryAfterSeconds = null) => new(null, [], Status: status, RetryAfterSeconds: retryAfterSeconds);
}
