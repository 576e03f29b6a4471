using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Agents.Budget;

/// <summary>
/// A chat client that spends a <see cref="BudgetTracker"/>: it charges and enforces every tool call, appends the
/// budget block to every tool result, counts model usage exactly once, and stops the tool loop at a hard limit.
/// </summary>
/// <remarks>
/// <para><b>Ordering.</b> Put it <i>before</i> (outside) function invocation:
/// <c>new ChatClientBuilder(inner).UseBudgetTracker(tracker).UseFunctionInvocation().Build()</c>. It then wraps the
/// request's <see cref="AIFunction"/> tools so that <see cref="FunctionInvokingChatClient"/> calls them through the
/// tracker, and sets <see cref="FunctionInvocationContext.Terminate"/> when a hard limit is reached.</para>
/// <para><b>Usage, counted once per model call, whatever the outcome.</b> Streaming: each inner response's
/// <see cref="UsageContent"/> passes through and is counted as it arrives, so token and money limits apply from the next
/// tool call on, and the calls made before a failure stay counted. Non-streaming with tools while function invocation
/// sits below this client: <see cref="FunctionInvokingChatClient"/> would only report the sum of its model calls at the
/// end, and nothing when a tool throws or the request is cancelled, so the request is served by the streaming pipeline
/// and assembled into one <see cref="ChatResponse"/>. One option, <see cref="BudgetChatClientOptions.CountUsage"/>, turns all
/// of it on or off. In the other order (<c>UseFunctionInvocation().UseBudgetTracker()</c>) this client sees, and counts,
/// every model call without streaming: use that order for a model whose streamed responses carry no usage.
/// Several layers on the same tracker never count a call twice: the same usage object is recorded once, and the outermost
/// layer leaves the aggregated usage alone when a layer inside it counted the calls, for example
/// <c>.UseBudgetTracker(tracker).UseFunctionInvocation().UseBudgetTracker(tracker, o =&gt; o.ChargeTools = false)</c>.</para>
/// <para><b>Hard token and money limits.</b> One layer reserves each model call's worst case before it is made, when the
/// tracker or an ancestor limits tokens or money, or has a <see cref="BudgetOptions.SharedLedger"/> (<see cref="BudgetTracker.ReserveModelCallAsync"/>). With function invocation
/// below it (the documented order) it reserves the first call before the request starts and each next one when an
/// iteration's tool results have passed it, before function invocation calls the model again; the prompt is the request's
/// messages plus everything streamed since, and the output cap it sets on the request holds for every call, so a next call
/// whose worst case does not fit with that cap is not made. Without function invocation below it, it reserves the call
/// it makes: the prompt's tokens, counted by
/// <see cref="BudgetChatClientOptions.PromptTokenCounter"/> or estimated from above by <see cref="PromptTokenEstimator"/>,
/// plus the output cap, which it lowers to what the remaining token and money budgets allow by setting
/// <see cref="ChatOptions.MaxOutputTokens"/> (see <see cref="BudgetModelReservation.OutputCapFor"/>). The call's usage replaces
/// the reservation when it arrives (a response that reports none is charged an estimate,
/// <see cref="BudgetModelReservation.CommitEstimate"/>); a call that fails is released. A call that does not fit is not made: with
/// <see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/> it is made once more as a final answer without tools, from the
/// final-answer reserve (<see cref="BudgetOptions.FinalAnswerReserveTokens"/>, <see cref="BudgetOptions.FinalAnswerReserveUsd"/>),
/// when that fits; otherwise <see cref="BudgetExhaustedException"/> is thrown. When another layer on the same tracker sits
/// below function invocation, that layer reserves and this one does not.</para>
/// <para><b>Exhaustion.</b> With <see cref="ExhaustionBehavior.Terminate"/> the loop stops after the tool results
/// (the last message has role tool); a new request on an exhausted tracker throws <see cref="BudgetExhaustedException"/>.
/// With <see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/> the client makes one more model call with tools
/// removed and returns its answer too.</para>
/// <para><b>Configuration errors</b> (a mapping or attribute naming a unit argument the tool does not have) throw
/// <see cref="BudgetConfigurationException"/> before the model is called. Only tools passed in
/// <see cref="ChatOptions.Tools"/> are charged: tools registered in <see cref="FunctionInvokingChatClient.AdditionalTools"/>
/// bypass this client, so pass budgeted tools per request.</para>
/// </remarks>
public sealed class BudgetChatClient : DelegatingChatClient
{
    private readonly BudgetTracker _tracker;
    private readonly BudgetChatClientOptions _options;
    private readonly ConditionalWeakTable<AIFunction, object> _validated = [];
    private readonly Lazy<bool> _hasFunctionInvocationBelow;
    private readonly Lazy<bool> _hasLayerOnTrackerBelow;
    private readonly Lazy<string?> _defaultModelId;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The inner client, normally a <see cref="FunctionInvokingChatClient"/>.</param>
    /// <param name="tracker">The tracker; it may be shared.</param>
    /// <param name="options">The options; defaults when null.</param>
    public BudgetChatClient(IChatClient innerClient, BudgetTracker tracker, BudgetChatClientOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        _tracker = tracker;
        _options = options ?? new BudgetChatClientOptions();
        _hasFunctionInvocationBelow = new Lazy<bool>(() => innerClient.GetService<FunctionInvokingChatClient>() is not null);
        _hasLayerOnTrackerBelow = new Lazy<bool>(() => innerClient.GetService<BudgetChatClient>() is { } below && ReferenceEquals(below._tracker, _tracker));
        _defaultModelId = new Lazy<string?>(() => innerClient.GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (CountsPerModelCall(options))
        {
            // Outside function invocation a non-streaming response only carries the sum of all model calls, and nothing
            // when the request fails part-way. Streamed, every model call's usage passes here as it arrives.
            return await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken).ConfigureAwait(false);
        }

        var state = new BudgetRequestState();
        ChatOptions? prepared = Prepare(options, state);
        messages = WithGuideline(messages);
        (UsageScope scope, bool outermost) = EnterScope();
        ChatResponse response = await CallModelAsync(messages, prepared, scope, outermost, cancellationToken).ConfigureAwait(false);
        if (!NeedsFinalAnswer(state))
        {
            return response;
        }

        List<ChatMessage> conversation = [.. messages, .. response.Messages];
        scope.FinalAnswer = true;
        ChatResponse final = await CallModelAsync(conversation, WithoutTools(options), scope, outermost, cancellationToken).ConfigureAwait(false);
        foreach (ChatMessage message in final.Messages)
        {
            response.Messages.Add(message);
        }

        if (final.Usage is { } finalUsage)
        {
            if (response.Usage is null)
            {
                response.Usage = finalUsage;
            }
            else
            {
                response.Usage.Add(finalUsage);
            }
        }

        response.FinishReason = final.FinishReason;
        response.ResponseId = final.ResponseId ?? response.ResponseId;
        return response;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var state = new BudgetRequestState();
        ChatOptions? prepared = Prepare(options, state);
        messages = WithGuideline(messages);
        (UsageScope scope, bool outermost) = EnterScope();
        bool mayNeedFinal = _options.ChargeTools && _tracker.Options.OnExhaustion == ExhaustionBehavior.FinalAnswerWithoutTools;
        List<ChatResponseUpdate>? updates = mayNeedFinal ? [] : null;
        await foreach (ChatResponseUpdate update in StreamModelAsync(messages, prepared, scope, outermost, cancellationToken).ConfigureAwait(false))
        {
            updates?.Add(update);
            yield return update;
        }

        if (updates is null || !NeedsFinalAnswer(state) || scope.FinalAnswer)
        {
            yield break;
        }

        List<ChatMessage> conversation = [.. messages, .. updates.ToChatResponse().Messages];
        scope.FinalAnswer = true;
        await foreach (ChatResponseUpdate update in StreamModelAsync(conversation, WithoutTools(options), scope, outermost, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>Whether this layer reserves the model calls it makes: it makes them itself, counts usage, and a token or money limit is set.</summary>
    private bool ReservesModelCalls(UsageScope scope) =>
        _options.CountUsage && _options.ReserveModelCalls && !scope.ModelCallHeld && !_hasFunctionInvocationBelow.Value && _tracker.HasModelLimits;

    /// <summary>
    /// Whether this layer reserves the model calls that function invocation below it makes: it counts usage, a token or
    /// money limit is set, and no layer on the same tracker sits below to reserve them.
    /// </summary>
    private bool ReservesCallsBelow(UsageScope scope) =>
        _options.CountUsage && _options.ReserveModelCalls && !scope.ModelCallHeld && _hasFunctionInvocationBelow.Value
        && !_hasLayerOnTrackerBelow.Value && _tracker.HasModelLimits;

    /// <summary>Makes one call to the inner client, reserving its worst case first when this layer reserves model calls.</summary>
    private async Task<ChatResponse> CallModelAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, UsageScope scope, bool outermost, CancellationToken cancellationToken)
    {
        if (!ReservesModelCalls(scope))
        {
            ChatResponse plain = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            CountResponse(plain.Usage, plain.ModelId, scope, outermost);
            return plain;
        }

        List<ChatMessage> list = [.. messages];
        (BudgetModelReservation hold, ChatOptions? capped) = await ReserveAsync(list, options, scope, cancellationToken).ConfigureAwait(false);
        ChatResponse response;
        scope.ModelCallHeld = true;
        try
        {
            response = await base.GetResponseAsync(list, capped, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            hold.Release();
            throw;
        }
        finally
        {
            scope.ModelCallHeld = false;
        }

        if (!outermost)
        {
            scope.InnerCounted = true;
        }

        if (response.Usage is { } usage)
        {
            hold.CommitOnce(usage, response.ModelId);
        }
        else
        {
            hold.CommitEstimate(response.Messages, response.ModelId);
        }

        return response;
    }

    /// <summary>Streams one call of the inner client, reserving its worst case first when this layer reserves model calls.</summary>
    private async IAsyncEnumerable<ChatResponseUpdate> StreamModelAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        UsageScope scope,
        bool outermost,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (ReservesCallsBelow(scope))
        {
            await foreach (ChatResponseUpdate update in StreamReservingCallsBelowAsync([.. messages], options, scope, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        if (!ReservesModelCalls(scope))
        {
            await foreach (ChatResponseUpdate update in Scoped(base.GetStreamingResponseAsync(messages, options, cancellationToken), scope, cancellationToken).ConfigureAwait(false))
            {
                CountStreaming(update, outermost, scope);
                yield return update;
            }

            yield break;
        }

        List<ChatMessage> list = [.. messages];
        (BudgetModelReservation hold, ChatOptions? capped) = await ReserveAsync(list, options, scope, cancellationToken).ConfigureAwait(false);
        bool committed = false;
        bool completed = false;
        List<ChatResponseUpdate> received = [];
        scope.ModelCallHeld = true;
        IAsyncEnumerator<ChatResponseUpdate> enumerator = Scoped(base.GetStreamingResponseAsync(list, capped, cancellationToken), scope, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool next;
                try
                {
                    next = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch
                {
                    hold.Release();
                    throw;
                }

                if (!next)
                {
                    completed = true;
                    break;
                }

                ChatResponseUpdate update = enumerator.Current;
                if (!committed)
                {
                    // Kept only until usage arrives, to estimate a response that carries none.
                    received.Add(update);
                }

                foreach (AIContent content in update.Contents)
                {
                    if (content is UsageContent { Details: { } details })
                    {
                        if (!outermost)
                        {
                            scope.InnerCounted = true;
                        }

                        if (committed)
                        {
                            _tracker.RecordUsageOnce(details, update.ModelId);
                        }
                        else
                        {
                            hold.CommitOnce(details, update.ModelId);
                            committed = true;
                        }
                    }
                }

                yield return update;
            }
        }
        finally
        {
            scope.ModelCallHeld = false;
            if (!committed && completed)
            {
                // The response carried no usage: it is charged an estimate from above.
                hold.CommitEstimate(received.ToChatResponse().Messages);
            }
            else
            {
                hold.Release();
            }

            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Streams a request through function invocation below this layer, reserving each model call it makes: the first before
    /// the request starts, each next one when an iteration's tool results have passed (before function invocation calls the
    /// model again). A next call whose worst case does not fit with the request's output cap is not made: the loop stops, and
    /// with <see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/> one final answer without tools is made from the final-answer
    /// reserve when that fits; otherwise <see cref="BudgetExhaustedException"/> is thrown.
    /// </summary>
    private async IAsyncEnumerable<ChatResponseUpdate> StreamReservingCallsBelowAsync(
        List<ChatMessage> messages,
        ChatOptions? options,
        UsageScope scope,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        (BudgetModelReservation? hold, ChatOptions? capped) = await ReserveAsync(messages, options, scope, cancellationToken).ConfigureAwait(false);
        string? model = capped?.ModelId ?? _defaultModelId.Value;
        List<ChatResponseUpdate> received = [];
        int holdStart = 0;
        bool nextCall = false;
        bool stopped = false;
        IAsyncEnumerator<ChatResponseUpdate> enumerator = Scoped(base.GetStreamingResponseAsync(messages, capped, cancellationToken), scope, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                if (nextCall && hold is null)
                {
                    // Function invocation is about to call the model again with everything so far.
                    hold = await TryReserveAsync([.. messages, .. received.ToChatResponse().Messages], capped, scope.FinalAnswer, model, cancellationToken).ConfigureAwait(false);
                    holdStart = received.Count;
                    if (!hold.Granted || hold.OutputCapFor(capped?.MaxOutputTokens) != capped?.MaxOutputTokens)
                    {
                        string reason = hold.Granted ? "The output cap of the request does not fit the budget left." : hold.DeniedReason ?? "The budget is exhausted.";
                        hold.Release();
                        hold = null;
                        stopped = true;
                        if (_tracker.Options.OnExhaustion != ExhaustionBehavior.FinalAnswerWithoutTools || scope.FinalAnswer)
                        {
                            throw new BudgetExhaustedException($"{reason} The model call was not made.");
                        }

                        break;
                    }
                }

                nextCall = false;
                bool next;
                try
                {
                    next = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch
                {
                    hold?.Release();
                    hold = null;
                    throw;
                }

                if (!next)
                {
                    break;
                }

                ChatResponseUpdate update = enumerator.Current;
                received.Add(update);
                if (update.Role == ChatRole.Tool)
                {
                    // An iteration's tool results: the model call before them is over.
                    SettleWithoutUsage(ref hold, received, holdStart, update.ModelId);
                    nextCall = true;
                }

                foreach (AIContent content in update.Contents)
                {
                    if (content is UsageContent { Details: { } details })
                    {
                        if (hold is not null)
                        {
                            hold.CommitOnce(details, update.ModelId);
                            hold = null;
                        }
                        else
                        {
                            _tracker.RecordUsageOnce(details, update.ModelId);
                        }
                    }
                }

                yield return update;
            }
        }
        finally
        {
            SettleWithoutUsage(ref hold, received, holdStart, null);
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }

        if (!stopped)
        {
            yield break;
        }

        // The next call did not fit: one final answer without tools, from the final-answer reserve.
        scope.FinalAnswer = true;
        await foreach (ChatResponseUpdate update in StreamReservingCallsBelowAsync([.. messages, .. received.ToChatResponse().Messages], WithoutTools(options), scope, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>
    /// Settles a reservation whose call is over without a usage report: charged an estimate when the model answered since it
    /// was taken, released when it did not (function invocation stopped, or more tool results came first).
    /// </summary>
    private static void SettleWithoutUsage(ref BudgetModelReservation? hold, List<ChatResponseUpdate> received, int holdStart, string? modelId)
    {
        if (hold is null)
        {
            return;
        }

        List<ChatResponseUpdate> reply = [.. received.Skip(holdStart).Where(u => u.Role != ChatRole.Tool)];
        if (reply.Count > 0)
        {
            hold.CommitEstimate(reply.ToChatResponse().Messages, modelId);
        }
        else
        {
            hold.Release();
        }

        hold = null;
    }

    /// <summary>
    /// Reserves the worst case of the next model call. A call that does not fit is not made: with
    /// <see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/> it becomes a final answer without tools, from the final-answer
    /// reserve, when that fits; otherwise <see cref="BudgetExhaustedException"/> is thrown.
    /// </summary>
    private async Task<(BudgetModelReservation Hold, ChatOptions? Options)> ReserveAsync(List<ChatMessage> messages, ChatOptions? options, UsageScope scope, CancellationToken cancellationToken)
    {
        string? model = options?.ModelId ?? _defaultModelId.Value;
        BudgetModelReservation hold = await TryReserveAsync(messages, options, scope.FinalAnswer, model, cancellationToken).ConfigureAwait(false);
        if (!hold.Granted && !scope.FinalAnswer && _tracker.Options.OnExhaustion == ExhaustionBehavior.FinalAnswerWithoutTools)
        {
            ChatOptions without = WithoutTools(options);
            BudgetModelReservation final = await TryReserveAsync(messages, without, true, model, cancellationToken).ConfigureAwait(false);
            if (final.Granted)
            {
                hold = final;
                options = without;
            }
        }

        if (!hold.Granted)
        {
            throw new BudgetExhaustedException($"{hold.DeniedReason} The model call was not made.");
        }

        if (hold.OutputCapFor(options?.MaxOutputTokens) is not { } cap || options?.MaxOutputTokens <= cap)
        {
            return (hold, options);
        }

        ChatOptions capped = options?.Clone() ?? new ChatOptions();
        capped.MaxOutputTokens = cap;
        return (hold, capped);
    }

    private Task<BudgetModelReservation> TryReserveAsync(List<ChatMessage> messages, ChatOptions? options, bool final, string? model, CancellationToken cancellationToken)
    {
        long prompt = _options.PromptTokenCounter?.Invoke(messages, options) ?? PromptTokenEstimator.Estimate(messages, options);
        return _tracker.ReserveModelCallAsync(Math.Max(0, prompt), options?.MaxOutputTokens is > 0 ? options.MaxOutputTokens : null, model, final, cancellationToken);
    }

    /// <summary>
    /// Whether a non-streaming request is served by the streaming pipeline: usage is counted, the request has tools and
    /// function invocation sits below this client (it would otherwise only report the sum at the end).
    /// </summary>
    private bool CountsPerModelCall(ChatOptions? options) =>
        _options.CountUsage
        && _hasFunctionInvocationBelow.Value
        && (options?.Tools is { Count: > 0 } || ReservesCallsBelow(_tracker.UsageScopes.Value ?? new UsageScope()));

    /// <summary>Joins the request scope of an outer layer on the same tracker, or opens one.</summary>
    private (UsageScope Scope, bool Outermost) EnterScope()
    {
        if (_tracker.UsageScopes.Value is { } outer)
        {
            return (outer, false);
        }

        var scope = new UsageScope();
        _tracker.UsageScopes.Value = scope;
        return (scope, true);
    }

    /// <summary>
    /// Enumerates <paramref name="source"/> with <paramref name="scope"/> as the ambient scope of every step (an async
    /// iterator does not keep async-local values from one step to the next).
    /// </summary>
    private async IAsyncEnumerable<ChatResponseUpdate> Scoped(IAsyncEnumerable<ChatResponseUpdate> source, UsageScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _tracker.UsageScopes.Value = scope;
        IAsyncEnumerator<ChatResponseUpdate> enumerator = source.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                _tracker.UsageScopes.Value = scope;
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                yield return enumerator.Current;
            }
        }
    }

    private static ChatOptions WithoutTools(ChatOptions? options)
    {
        ChatOptions clone = options?.Clone() ?? new ChatOptions();
        clone.Tools = null;
        clone.ToolMode = null;
        return clone;
    }

    private IEnumerable<ChatMessage> WithGuideline(IEnumerable<ChatMessage> messages) =>
        _options.AddGuideline ? [new ChatMessage(ChatRole.System, _tracker.FormatGuideline()), .. messages] : messages;

    private ChatOptions? Prepare(ChatOptions? options, BudgetRequestState state)
    {
        if (_tracker.IsExhausted)
        {
            if (_tracker.Options.OnExhaustion == ExhaustionBehavior.Terminate)
            {
                throw new BudgetExhaustedException(
                    $"The budget is exhausted ({string.Join("; ", _tracker.GetSnapshot().ExhaustedReasons)}); no new request is made. " +
                    "Check BudgetTracker.IsExhausted before starting, call BudgetTracker.Reset for a new run, or use ExhaustionBehavior.FinalAnswerWithoutTools.");
            }

            return WithoutTools(options);
        }

        if (!_options.ChargeTools || options?.Tools is not { Count: > 0 } tools)
        {
            return options;
        }

        ChatOptions clone = options.Clone();
        var wrapped = new List<AITool>(tools.Count);
        foreach (AITool tool in tools)
        {
            if (tool is AIFunction function and not BudgetedAIFunction)
            {
                Validate(function);
                wrapped.Add(new BudgetedAIFunction(function, _tracker, state));
            }
            else
            {
                wrapped.Add(tool);
            }
        }

        clone.Tools = wrapped;
        return clone;
    }

    /// <summary>Checks once per function that its unit argument exists in its parameter schema.</summary>
    private void Validate(AIFunction function)
    {
        if (_validated.TryGetValue(function, out _))
        {
            return;
        }

        (string? plugin, string name) = BudgetTracker.NameOf(function);
        ResolvedTool resolved = _tracker.Resolve(plugin, name, function.UnderlyingMethod);
        if (function.JsonSchema.ValueKind == JsonValueKind.Object
            && function.JsonSchema.TryGetProperty("properties", out JsonElement properties)
            && properties.ValueKind == JsonValueKind.Object)
        {
            ToolResolver.CheckUnitsArgument(resolved, properties.EnumerateObject().Select(p => p.Name));
        }

        _validated.AddOrUpdate(function, resolved);
    }

    private bool NeedsFinalAnswer(BudgetRequestState state) =>
        state.HardLimitReached && _options.ChargeTools && _tracker.Options.OnExhaustion == ExhaustionBehavior.FinalAnswerWithoutTools;

    /// <summary>
    /// Counts a non-streaming response: an inner layer counts every model call; the outermost one counts the (aggregated)
    /// usage unless an inner layer already counted the calls it sums.
    /// </summary>
    private void CountResponse(UsageDetails? usage, string? modelId, UsageScope scope, bool outermost)
    {
        if (!_options.CountUsage || usage is null)
        {
            return;
        }

        if (!outermost)
        {
            scope.InnerCounted = true;
            _tracker.RecordUsageOnce(usage, modelId);
        }
        else if (!scope.InnerCounted)
        {
            _tracker.RecordUsageOnce(usage, modelId);
        }
    }

    private void CountStreaming(ChatResponseUpdate update, bool outermost, UsageScope scope)
    {
        if (!_options.CountUsage)
        {
            return;
        }

        foreach (AIContent content in update.Contents)
        {
            if (content is UsageContent { Details: { } details })
            {
                if (!outermost)
                {
                    scope.InnerCounted = true;
                }

                // The same UsageContent passes every layer: the first layer that sees it counts it.
                _tracker.RecordUsageOnce(details, update.ModelId);
            }
        }
    }
}
