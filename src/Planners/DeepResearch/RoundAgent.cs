using Agents.Planners.Context;

namespace Agents.Planners.DeepResearch;

/// <summary>
/// Runs one round: a fresh conversation (system prompt + one user message) in a plain tool-calling loop.
/// Web tools are charged through the <see cref="BudgetTracker"/>; file tools run directly. Every model call reserves its
/// worst case first and is not made when that does not fit (the round then stops as budget-stopped). The checkpoint (which
/// stores the spend) runs after every model call and every web tool call that ran. Tool calls of one
/// response run in parallel; every tool error becomes a tool result text.
/// </summary>
internal sealed class RoundAgent
{
    private readonly IChatClient _chatClient;
    private readonly BudgetTracker _budget;
    private readonly DeepResearchOptions _options;
    private readonly ILogger _logger;
    private readonly Func<string, string> _redactPaths;
    private readonly Func<string, string, CancellationToken, Task<string?>>? _archive;

    // redactPaths rewrites an error text so that it does not show the workspace's absolute path;
    // archive keeps the full text of a tool result condensed out of the context in the workspace.
    public RoundAgent(
        IChatClient chatClient,
        BudgetTracker budget,
        DeepResearchOptions options,
        ILogger logger,
        Func<string, string> redactPaths,
        Func<string, string, CancellationToken, Task<string?>>? archive = null)
    {
        _chatClient = chatClient;
        _budget = budget;
        _options = options;
        _logger = logger;
        _redactPaths = redactPaths;
        _archive = archive;
    }

    public async Task<RoundRun> RunAsync(
        string systemPrompt,
        string userMessage,
        IReadOnlyList<AIFunction> budgetedTools,
        IReadOnlyList<AIFunction> freeTools,
        bool stopOnExhaustion,
        Func<Task> checkpoint,
        CancellationToken cancellationToken,
        bool finalAnswer = false)
    {
        var tools = new Dictionary<string, (AIFunction Function, bool Budgeted)>(StringComparer.Ordinal);
        foreach (var tool in budgetedTools)
        {
            tools[tool.Name] = (tool, true);
        }

        foreach (var tool in freeTools)
        {
            tools[tool.Name] = (tool, false);
        }

        var chatOptions = _options.ChatOptions?.Clone() ?? new ChatOptions();
        chatOptions.Tools = [.. tools.Values.Select(t => (AITool)t.Function)];
        List<ChatMessage> messages =
        [
            new(ChatRole.System, systemPrompt),
            new(ChatRole.User, userMessage),
        ];

        var window = _options.ContextWindow ?? ContextWindow.FromChatClient(_chatClient);
        var reducer = window is null ? null : new ContextWindowChatReducer(window, _archive);
        if (window is not null)
        {
            chatOptions.MaxOutputTokens = Math.Min(chatOptions.MaxOutputTokens ?? int.MaxValue, window.ReplyReserveTokens);
        }

        var calls = 0;
        var lastText = string.Empty;
        using var parallel = new SemaphoreSlim(_options.MaxParallelToolCalls);
        while (calls < _options.MaxModelCallsPerRound)
        {
            if (stopOnExhaustion && _budget.IsExhausted)
            {
                return new RoundRun(lastText, calls, BudgetStopped: true);
            }

            var request = reducer is null
                ? messages
                : await reducer.ReduceAsync(messages, chatOptions.Tools, cancellationToken).ConfigureAwait(false);
            var response = await CallModelAsync(request, chatOptions, window, reducer, finalAnswer, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                // The call's worst case does not fit the budget: it was not made.
                return new RoundRun(lastText, calls, BudgetStopped: true);
            }

            calls++;
            await checkpoint().ConfigureAwait(false);

            messages.AddRange(response.Messages);
            lastText = response.Text;
            var functionCalls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (functionCalls.Count == 0)
            {
                return new RoundRun(lastText, calls, BudgetStopped: false);
            }

            var terminate = false;
            var results = await Task.WhenAll(functionCalls.Select(async call =>
            {
                await parallel.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var (text, stop) = await InvokeAsync(call, tools, checkpoint, cancellationToken).ConfigureAwait(false);
                    if (stop)
                    {
                        Volatile.Write(ref terminate, true);
                    }

                    return (AIContent)new FunctionResultContent(call.CallId, Cut(text));
                }
                finally
                {
                    parallel.Release();
                }
            })).ConfigureAwait(false);
            messages.Add(new ChatMessage(ChatRole.Tool, [.. results]));

            if (stopOnExhaustion && (terminate || _budget.IsExhausted))
            {
                return new RoundRun(lastText, calls, BudgetStopped: true);
            }
        }

        _logger.LogInformation("Round stopped at the cap of {Calls} model calls.", calls);
        return new RoundRun(lastText, calls, BudgetStopped: false);
    }

    /// <summary>
    /// Makes one model call, its worst case reserved first (<see cref="BudgetTracker.ReserveModelCallAsync"/>): the prompt
    /// counted with the window's tokenizer when it has one, else estimated by <see cref="PromptTokenEstimator"/>; the
    /// output capped to what the budget allows. Returns <see langword="null"/> when the call does not fit (not made).
    /// </summary>
    private async Task<ChatResponse?> CallModelAsync(
        IEnumerable<ChatMessage> request, ChatOptions chatOptions, ContextWindow? window, ContextWindowChatReducer? reducer, bool finalAnswer, CancellationToken cancellationToken)
    {
        var list = request as IList<ChatMessage> ?? [.. request];
        long prompt = window is { CountTokens: not null } && reducer is not null
            ? reducer.CountPromptTokens(list, chatOptions.Tools)
            : PromptTokenEstimator.Estimate(list, chatOptions);
        var model = chatOptions.ModelId ?? _chatClient.GetService<ChatClientMetadata>()?.DefaultModelId;
        using var hold = await _budget.ReserveModelCallAsync(Math.Max(0, prompt), chatOptions.MaxOutputTokens is > 0 ? chatOptions.MaxOutputTokens : null, model, finalAnswer, cancellationToken).ConfigureAwait(false);
        if (!hold.Granted)
        {
            _logger.LogInformation("The model call was not made: {Reason}", hold.DeniedReason);
            return null;
        }

        var options = chatOptions;
        if (hold.MaxOutputTokens is int allowed && (chatOptions.MaxOutputTokens is null || chatOptions.MaxOutputTokens > allowed))
        {
            options = chatOptions.Clone();
            options.MaxOutputTokens = allowed;
        }

        var response = await _chatClient.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        if (response.Usage is { } usage && !Runs.ModelInvoker.IsWellFormed(usage))
        {
            _logger.LogWarning("The model reported unusable token usage; it was not charged.");
            hold.Release();
            return response;
        }

        hold.Commit(response.Usage, response.ModelId ?? model);
        return response;
    }

    private async Task<(string Text, bool Terminate)> InvokeAsync(
        FunctionCallContent call,
        Dictionary<string, (AIFunction Function, bool Budgeted)> tools,
        Func<Task> checkpoint,
        CancellationToken cancellationToken)
    {
        if (!tools.TryGetValue(call.Name, out var tool))
        {
            return ($"Error: there is no tool named '{call.Name}'. Available tools: {string.Join(", ", tools.Keys.Order(StringComparer.Ordinal))}.", false);
        }

        var arguments = new AIFunctionArguments(call.Arguments ?? new Dictionary<string, object?>());
        BudgetedToolResult result;
        try
        {
            if (!tool.Budgeted)
            {
                return (ToText(await tool.Function.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false)), false);
            }

            result = await _budget.InvokeToolAsync(tool.Function, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning(ex, "Tool {Tool} failed.", call.Name);
            return (_redactPaths($"Error: the tool '{call.Name}' failed: {ex.Message} Check the arguments and try again."), false);
        }

        // Outside the catch: a failure to store the spend is the host's problem, not a tool error for the model.
        if (result.Executed)
        {
            await checkpoint().ConfigureAwait(false);
        }

        return (ToText(result.Result), result.ShouldTerminate);
    }

    private string Cut(string text)
    {
        if (text.Length <= _options.MaxToolResultChars)
        {
            return text;
        }

        var more = text.Length - _options.MaxToolResultChars;
        return text[.._options.MaxToolResultChars] + string.Create(CultureInfo.InvariantCulture, $"\n[cut: {more} more characters]");
    }

    private static string ToText(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? string.Empty,
        JsonElement element => element.GetRawText(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}

