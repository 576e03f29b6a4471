namespace Agents.Planners.Context;

/// <summary>
/// A model's context window: how many tokens one request may hold, how many of them are kept for the reply, and
/// how tokens are counted. Agent loops that know it keep every request within <see cref="Tokens"/> minus
/// <see cref="ReplyReserveTokens"/> by condensing older tool results (see <see cref="ContextWindowChatReducer"/>).
/// </summary>
/// <remarks>
/// Counting uses <see cref="CountTokens"/> when set (give the model's real tokenizer, for example
/// <c>text =&gt; tokenizer.CountTokens(text)</c> with a <c>Microsoft.ML.Tokenizers.Tokenizer</c>, or the local engine's tokenizer). Otherwise it uses a
/// conservative estimate: one token per <see cref="EstimatedCharsPerToken"/> characters (rounded up), plus
/// <see cref="MessageOverheadTokens"/> per message; English text averages about four characters per token, so
/// the estimate over-counts rather than under-counts. Tool declarations offered with a request are counted too.
/// A chat client can announce its window without a dependency on this assembly by answering
/// <see cref="IChatClient.GetService"/> for <see cref="int"/> with key <see cref="TokensServiceKey"/> and, optionally,
/// for <see cref="Func{T, TResult}"/> of <see cref="string"/> to <see cref="int"/> with key
/// <see cref="TokenCounterServiceKey"/>; see <see cref="FromChatClient"/>.
/// </remarks>
public sealed class ContextWindow
{
    /// <summary>The service key under which a chat client reports its context window in tokens (service type <see cref="int"/>).</summary>
    public const string TokensServiceKey = "agents:context-window-tokens";

    /// <summary>The service key under which a chat client reports its token counter (service type <c>Func&lt;string, int&gt;</c>).</summary>
    public const string TokenCounterServiceKey = "agents:token-counter";

    /// <summary>Characters per token of the estimate used when no tokenizer is given.</summary>
    public const int EstimatedCharsPerToken = 3;

    /// <summary>Tokens counted per message for its role and chat-format markers.</summary>
    public const int MessageOverheadTokens = 8;

    /// <summary>Creates a window.</summary>
    /// <param name="tokens">The model's context window in tokens (prompt and reply together); at least 64.</param>
    /// <param name="replyReserveTokens">Tokens kept free for the reply; <see langword="null"/> for a quarter of the
    /// window, at most 4,096. Must be at least 16 and leave at least 32 tokens for the prompt.</param>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range.</exception>
    public ContextWindow(int tokens, int? replyReserveTokens = null)
    {
        if (tokens < 64)
        {
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "ContextWindow.Tokens must be at least 64.");
        }

        int reserve = replyReserveTokens ?? Math.Min(4096, tokens / 4);
        if (reserve < 16 || tokens - reserve < 32)
        {
            throw new ArgumentOutOfRangeException(
                nameof(replyReserveTokens), reserve, "ContextWindow.ReplyReserveTokens must be at least 16 and leave at least 32 tokens of the window for the prompt.");
        }

        Tokens = tokens;
        ReplyReserveTokens = reserve;
    }

    /// <summary>Gets the model's context window in tokens.</summary>
    public int Tokens { get; }

    /// <summary>Gets the tokens kept for the reply: requests ask for at most this many output tokens.</summary>
    public int ReplyReserveTokens { get; }

    /// <summary>Gets the most tokens a request's prompt (messages and tool declarations) may count.</summary>
    public int PromptTokens => Tokens - ReplyReserveTokens;

    /// <summary>Gets the token counter: the model's tokenizer; <see langword="null"/> for the documented estimate.</summary>
    public Func<string, int>? CountTokens { get; init; }

    /// <summary>Counts the tokens of a text with <see cref="CountTokens"/>, or estimates them.</summary>
    /// <param name="text">The text; null counts as empty.</param>
    /// <returns>The token count.</returns>
    public int Count(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        return CountTokens is { } counter
            ? Math.Max(0, counter(text))
            : (text.Length + EstimatedCharsPerToken - 1) / EstimatedCharsPerToken;
    }

    /// <summary>
    /// Reads the window a chat client announces: a <see cref="ContextWindow"/> service, or an <see cref="int"/> under
    /// <see cref="TokensServiceKey"/> (with an optional counter under <see cref="TokenCounterServiceKey"/>).
    /// </summary>
    /// <param name="chatClient">The client.</param>
    /// <returns>The window, or <see langword="null"/> when the client announces none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chatClient"/> is null.</exception>
    public static ContextWindow? FromChatClient(IChatClient chatClient)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        if (chatClient.GetService(typeof(ContextWindow)) is ContextWindow window)
        {
            return window;
        }

        if (chatClient.GetService(typeof(int), TokensServiceKey) is int tokens && tokens >= 64)
        {
            return new ContextWindow(tokens)
            {
                CountTokens = chatClient.GetService(typeof(Func<string, int>), TokenCounterServiceKey) as Func<string, int>,
            };
        }

        return null;
    }
}
