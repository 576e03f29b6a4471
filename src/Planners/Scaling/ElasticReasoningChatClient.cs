using System.Runtime.CompilerServices;
using System.Text;
using TextContent = Microsoft.Extensions.AI.TextContent;

namespace Agents.Planners.Scaling;

/// <summary>
/// Elastic Reasoning for models that think inside <c>&lt;think&gt;…&lt;/think&gt;</c>: the thinking phase gets its
/// own output-token budget; when it runs out before the model closes its thinking, the thinking is force-closed and
/// the answer is requested in a second call with its own budget. Replies that call tools pass through unchanged.
/// </summary>
/// <remarks>
/// Compose it under any agent: <c>new ChatClientBuilder(inner).UseElasticReasoning(o =&gt; ...).Build()</c>. The
/// returned response holds the (closed) thinking followed by the answer, and usage summed over both calls.
/// </remarks>
public sealed class ElasticReasoningChatClient : DelegatingChatClient
{
    private readonly ElasticReasoningOptions _options;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The reasoning model.</param>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public ElasticReasoningChatClient(IChatClient innerClient, ElasticReasoningOptions? options = null)
        : base(innerClient)
    {
        _options = options ?? new ElasticReasoningOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> history = [.. messages];
        ChatResponse thinking = await base.GetResponseAsync(history, WithBudget(options, _options.ThinkingTokens), cancellationToken).ConfigureAwait(false);
        if (HasToolCalls(thinking))
        {
            return thinking;
        }

        string text = thinking.Text;
        if (!NeedsAnswerPhase(text, thinking.FinishReason, out string closedThinking))
        {
            return thinking;
        }

        history.Add(new ChatMessage(ChatRole.Assistant, closedThinking));
        history.Add(new ChatMessage(ChatRole.User, _options.AnswerPrompt));
        ChatResponse answer = await base.GetResponseAsync(history, WithBudget(options, _options.AnswerTokens), cancellationToken).ConfigureAwait(false);

        var combined = new ChatResponse(new ChatMessage(ChatRole.Assistant, closedThinking + "\n" + answer.Text.Trim()))
        {
            ModelId = answer.ModelId ?? thinking.ModelId,
            FinishReason = answer.FinishReason,
            ResponseId = answer.ResponseId,
            Usage = Sum(thinking.Usage, answer.Usage),
        };
        return combined;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> history = [.. messages];
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        bool toolCalls = false;
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(history, WithBudget(options, _options.ThinkingTokens), cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
            finish = update.FinishReason ?? finish;
            toolCalls |= update.Contents.OfType<FunctionCallContent>().Any();
            yield return update;
        }

        if (toolCalls || !NeedsAnswerPhase(text.ToString(), finish, out string closedThinking))
        {
            yield break;
        }

        string closing = closedThinking[text.ToString().TrimEnd().Length..];
        if (closing.Length > 0)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(closing)]);
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, "\n");
        history.Add(new ChatMessage(ChatRole.Assistant, closedThinking));
        history.Add(new ChatMessage(ChatRole.User, _options.AnswerPrompt));
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(history, WithBudget(options, _options.AnswerTokens), cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>
    /// Decides whether the answer phase is needed: thinking was opened and either never closed (cut by the budget)
    /// or closed with nothing after it while the model stopped at its length limit.
    /// </summary>
    private bool NeedsAnswerPhase(string text, ChatFinishReason? finish, out string closedThinking)
    {
        string trimmed = text.TrimEnd();
        int open = trimmed.IndexOf(_options.ThinkOpenTag, StringComparison.Ordinal);
        int close = trimmed.LastIndexOf(_options.ThinkCloseTag, StringComparison.Ordinal);
        if (close >= 0)
        {
            closedThinking = trimmed[..(close + _options.ThinkCloseTag.Length)];
            string after = trimmed[(close + _options.ThinkCloseTag.Length)..];
            return after.Trim().Length == 0;
        }

        if (open < 0 && finish != ChatFinishReason.Length)
        {
            closedThinking = string.Empty;
            return false;
        }

        closedThinking = (open < 0 ? _options.ThinkOpenTag + trimmed : trimmed) + _options.ThinkCloseTag;
        return true;
    }

    private static ChatOptions WithBudget(ChatOptions? options, int budget)
    {
        ChatOptions copy = options?.Clone() ?? new ChatOptions();
        copy.MaxOutputTokens = copy.MaxOutputTokens is int existing ? Math.Min(existing, budget) : budget;
        return copy;
    }

    private static bool HasToolCalls(ChatResponse response)
        => response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Any();

    private static UsageDetails? Sum(UsageDetails? first, UsageDetails? second)
    {
        if (first is null || second is null)
        {
            return first ?? second;
        }

        var total = new UsageDetails();
        total.Add(first);
        total.Add(second);
        return total;
    }
}
