using Agents.Planners.Context;

namespace Agents.Planners.Runs;

/// <summary>
/// Calls the model for a run: fits the request into the model's context window (the given one, else the one the
/// client announces, see <see cref="ContextWindow.FromChatClient"/>), applies the run's own output-token budget and
/// records usage and messages. With a response format (a JSON schema) it asks for structured output, and when the
/// server refuses it, asks once more without it; the run then stops asking for it.
/// </summary>
/// <remarks>
/// Hard token and money limits: before the call it reserves the call's worst case on the run's tracker
/// (<see cref="BudgetTracker.ReserveModelCallAsync"/>): the prompt counted with the window's tokenizer when it has one, else
/// estimated from above by <see cref="PromptTokenEstimator"/>, plus the output cap, which it lowers to what the budget
/// allows. The actual usage is committed after the call; a failed call is released. A call that does not fit is not made:
/// <see cref="ModelCallDeniedException"/> tells the loop to go to its final-answer turn, which reserves with
/// <c>finalAnswer: true</c> and so may use the final-answer reserve. When the client already has a
/// <see cref="BudgetChatClient"/> layer, that layer reserves each call (see its remarks) and this invoker does not reserve
/// again; it records the response's usage on the run's tracker as before.
/// </remarks>
internal static class ModelInvoker
{
    /// <summary>The calls whose reply can be the answer, streamed when the run asks for it: an acting turn, the final-answer turn, a synthesis.</summary>
    internal static readonly IReadOnlySet<string> AnswerPurposes = new HashSet<string>(StringComparer.Ordinal) { "act", "final-answer", "synthesize" };

    public static async Task<ChatResponse> CallAsync(
        AgentRunContext context,
        IChatClient client,
        IEnumerable<ChatMessage> messages,
        ChatOptions? baseOptions,
        IReadOnlyList<AITool>? tools,
        string purpose,
        CancellationToken cancellationToken,
        ContextWindow? contextWindow = null,
        ChatResponseFormat? responseFormat = null,
        bool finalAnswer = false)
    {
        ChatOptions options = baseOptions?.Clone() ?? new ChatOptions();
        options.Tools = tools is { Count: > 0 } ? [.. tools] : null;
        if (context.Request.MaxOutputTokens is long max)
        {
            long remaining = Math.Max(1, max - context.OutputTokensUsed);
            int cap = (int)Math.Min(int.MaxValue, remaining);
            options.MaxOutputTokens = options.MaxOutputTokens is int existing ? Math.Min(existing, cap) : cap;
        }

        ContextWindow? window = contextWindow ?? ContextWindow.FromChatClient(client);
        if (window is not null)
        {
            messages = await new ContextWindowChatReducer(window).ReduceAsync(messages, options.Tools, cancellationToken).ConfigureAwait(false);
            options.MaxOutputTokens = Math.Min(options.MaxOutputTokens ?? int.MaxValue, window.ReplyReserveTokens);
        }

        if (HasBudgetLayer(client))
        {
            ChatResponse counted = await SendAsync(context, client, messages, options, purpose, responseFormat, cancellationToken).ConfigureAwait(false);
            context.RecordModelResponse(purpose, counted, options.ModelId);
            return counted;
        }

        List<ChatMessage> list = [.. messages];
        long prompt = window is { CountTokens: not null }
            ? new ContextWindowChatReducer(window).CountPromptTokens(list, options.Tools)
            : PromptTokenEstimator.Estimate(list, options);
        string? model = options.ModelId ?? client.GetService<ChatClientMetadata>()?.DefaultModelId;
        using BudgetModelReservation hold = await context.Tracker.ReserveModelCallAsync(
            Math.Max(0, prompt), options.MaxOutputTokens is > 0 ? options.MaxOutputTokens : null, model, finalAnswer, cancellationToken).ConfigureAwait(false);
        if (!hold.Granted)
        {
            context.NoteModelCallDenied(purpose, hold.DeniedReason);
            throw new ModelCallDeniedException(hold.DeniedReason ?? "The model call does not fit the budget.");
        }

        // Servers refuse caps beyond their model's maximum: an uncapped request gets the budget's cap only when the budget is
        // what limits the reply (give the agent a ContextWindow, whose reply reserve is always sent, to cap every reply).
        options.MaxOutputTokens = hold.OutputCapFor(options.MaxOutputTokens);

        ChatResponse response = await SendAsync(context, client, list, options, purpose, responseFormat, cancellationToken).ConfigureAwait(false);
        Commit(context, hold, response, model);
        context.RecordModelResponse(purpose, response, options.ModelId, charged: true);
        return response;
    }

    /// <summary>
    /// Tells whether this invoker reserves each call on the run's tracker (so a final answer is tried and the reservation
    /// decides), or a <see cref="BudgetChatClient"/> layer in the client does.
    /// </summary>
    /// <param name="client">The client the calls go to.</param>
    /// <returns><see langword="true"/> when the client has no budget layer.</returns>
    public static bool ReservesCalls(IChatClient client) => !HasBudgetLayer(client);

    private static bool HasBudgetLayer(IChatClient client) => client.GetService<BudgetChatClient>() is not null;

    private static void Commit(AgentRunContext context, BudgetModelReservation hold, ChatResponse response, string? model)
    {
        if (response.Usage is { } usage && !IsWellFormed(usage))
        {
            // Malformed usage from a provider (for example negative counts) must not end the run; it is not charged.
            context.NoteUnusableUsage(usage);
            hold.Release();
            return;
        }

        if (response.Usage is null)
        {
            hold.CommitEstimate(response.Messages, response.ModelId ?? model);
            return;
        }

        hold.Commit(response.Usage, response.ModelId ?? model);
    }

    /// <summary>Tells whether usage can be charged: no negative counts, no more cached than input tokens.</summary>
    internal static bool IsWellFormed(UsageDetails usage)
    {
        long input = usage.InputTokenCount ?? 0;
        long cached = usage.CachedInputTokenCount ?? 0;
        return input >= 0 && (usage.OutputTokenCount ?? 0) >= 0 && cached >= 0 && cached <= input;
    }

    private static async Task<ChatResponse> SendAsync(
        AgentRunContext context, IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions options, string purpose, ChatResponseFormat? responseFormat, CancellationToken cancellationToken)
    {
        if (responseFormat is null)
        {
            return context.StreamsAnswer && AnswerPurposes.Contains(purpose)
                ? await StreamAsync(context, client, messages, options, purpose, cancellationToken).ConfigureAwait(false)
                : await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        (ChatResponse response, ChatOptions used) = await StructuredOutput.GetResponseAsync(
            client, messages, options, responseFormat, context.StructuredOutputRefused, ex => context.NoteStructuredOutputRefused(purpose, ex), cancellationToken).ConfigureAwait(false);
        options.ResponseFormat = used.ResponseFormat;
        return response;
    }

    /// <summary>Streams the reply, raising an <see cref="Events.AnswerDeltaEvent"/> per piece of text, and returns it whole (usage included).</summary>
    private static async Task<ChatResponse> StreamAsync(
        AgentRunContext context, IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions options, string purpose, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            string text = update.Text;
            if (text.Length > 0)
            {
                context.Emit(new Events.AnswerDeltaEvent(purpose, text));
            }
        }

        return updates.ToChatResponse();
    }

    public static ChatMessage Log(AgentRunContext context, ChatMessage message)
    {
        context.RecordMessage(message);
        return message;
    }
}
