using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agents.Planners.Tests.Fakes;

/// <summary>
/// Wraps a scripted model and enforces a context window like a real server: a request whose prompt tokens plus
/// MaxOutputTokens exceed the window is refused with an exception, and the model is not called.
/// </summary>
public sealed partial class WindowedChatClient : DelegatingChatClient
{
    private readonly Func<string, int> _count;
    private readonly bool _announce;
    private readonly Lock _gate = new();

    public WindowedChatClient(IChatClient inner, int window, Func<string, int>? count = null, bool announce = false)
        : base(inner)
    {
        Window = window;
        _count = count ?? Words;
        _announce = announce;
    }

    public int Window { get; }

    public int MaxPromptTokens { get; private set; }

    public int Requests { get; private set; }

    /// <summary>A small real tokenizer: words and punctuation marks are one token each.</summary>
    public static int Words(string text) => TokenRegex().Count(text);

    /// <summary>About four characters per token, like English text with common tokenizers.</summary>
    public static int FourCharsPerToken(string text) => (text.Length + 3) / 4;

    public int CountPrompt(IEnumerable<ChatMessage> messages) => messages.Sum(m => 3 + m.Contents.Sum(c => c switch
    {
        TextContent t => _count(t.Text),
        FunctionCallContent call => _count(call.Name) + _count(JsonSerializer.Serialize(call.Arguments)),
        FunctionResultContent result => _count(result.Result as string ?? result.Result?.ToString() ?? string.Empty),
        _ => 0,
    }));

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        int prompt = CountPrompt(list);
        int reply = options?.MaxOutputTokens ?? 0;
        lock (_gate)
        {
            Requests++;
            MaxPromptTokens = Math.Max(MaxPromptTokens, prompt);
        }

        if (prompt + reply > Window)
        {
            throw new InvalidOperationException(
                $"400 Bad Request: this model's maximum context length is {Window} tokens, but the request has {prompt} prompt tokens and asks for {reply} output tokens.");
        }

        return base.GetResponseAsync(list, options, cancellationToken);
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (_announce && serviceType == typeof(int) && Equals(serviceKey, "agents:context-window-tokens"))
        {
            return Window;
        }

        if (_announce && serviceType == typeof(Func<string, int>) && Equals(serviceKey, "agents:token-counter"))
        {
            return _count;
        }

        return base.GetService(serviceType, serviceKey);
    }

    [GeneratedRegex(@"\w+|[^\w\s]")]
    private static partial Regex TokenRegex();
}
