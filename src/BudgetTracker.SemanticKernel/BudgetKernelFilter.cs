using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using FunctionInvocationContext = Microsoft.SemanticKernel.FunctionInvocationContext;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using FunctionCallContent = Microsoft.SemanticKernel.FunctionCallContent;
using FunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

namespace Agents.Budget;

/// <summary>
/// The Semantic Kernel side of the tracker: the function filter charges, runs and commits each tool call and
/// appends the budget block; the auto-function-invocation filter counts model usage and stops the loop. Written only
/// against the core's public API (<see cref="BudgetTracker.ChargeToolCallAsync"/>, <see cref="BudgetTracker.RecordUsageOnce(object, string?)"/>),
/// so this package works with any core of the same major version, as an adapter to another framework would.
/// </summary>
internal sealed class BudgetKernelFilter : IFunctionInvocationFilter, IAutoFunctionInvocationFilter
{
    /// <summary>How many refused call ids the filter remembers.</summary>
    private const int RememberedRefusals = 1024;

    private readonly AsyncLocal<AutoScope?> _scope = new();
    private readonly ConditionalWeakTable<ChatMessageContent, object> _countedMessages = [];

    /// <summary>The ids of the latest tool calls the budget refused, oldest first in <see cref="_refusedOrder"/>.</summary>
    private readonly HashSet<string> _refusedCalls = new(StringComparer.Ordinal);
    private readonly Queue<string> _refusedOrder = new();
    private readonly bool _countUsage;

    public BudgetKernelFilter(BudgetTracker tracker, BudgetKernelOptions options)
    {
        Tracker = tracker;
        _countUsage = options.CountUsage;
    }

    public BudgetTracker Tracker { get; }

    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        AutoScope? scope = _scope.Value;
        KernelFunction function = context.Function;
        if (scope is null && function.UnderlyingMethod is null)
        {
            // A prompt (or other non-native) function invoked directly by code, not a tool chosen by the model.
            await next(context).ConfigureAwait(false);
            return;
        }

        bool format = scope is not null && !context.IsStreaming;
        var call = new BudgetToolCall(function.Name, context.Arguments)
        {
            PluginName = function.PluginName,
            Method = function.UnderlyingMethod,
            FormatResult = format,
        };
        BudgetedToolResult result = await Tracker.ChargeToolCallAsync(
            call,
            async _ =>
            {
                await next(context).ConfigureAwait(false);
                return format ? context.Result.GetValue<object>() : null;
            },
            context.CancellationToken).ConfigureAwait(false);

        if (result.Outcome == BudgetedToolOutcome.Refused && scope is not null)
        {
            scope.Denied = true;
        }

        if (!result.Executed)
        {
            context.Result = new FunctionResult(function, result.Result);
        }
        else if (format)
        {
            context.Result = new FunctionResult(context.Result, result.Result);
        }
    }

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        if (_countUsage)
        {
            CountUsage(context.ChatMessageContent);
        }

        var scope = new AutoScope();
        _scope.Value = scope;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            _scope.Value = null;
        }

        if (scope.Denied && context.ToolCallId is { } callId)
        {
            RememberRefusal(callId);
        }

        if (Tracker.Options.OnExhaustion == ExhaustionBehavior.Terminate)
        {
            if (scope.Denied || Tracker.IsExhausted)
            {
                context.Terminate = true;
            }
        }
        else if (scope.Denied && WasRefusedBefore(context.ChatHistory, context.ChatMessageContent))
        {
            // The model already had its final chance: the filter refused a call of an earlier assistant message, and
            // that refusal told the model to answer now. Known by the refused calls' ids, not by the results' words.
            context.Terminate = true;
        }
    }

    /// <summary>Whether a tool result before the current assistant message answers a call this filter refused.</summary>
    private bool WasRefusedBefore(ChatHistory history, ChatMessageContent? current)
    {
        int end = history.Count;
        for (int i = history.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(history[i], current) || (history[i].Role == AuthorRole.Assistant && history[i].Items.OfType<FunctionCallContent>().Any()))
            {
                end = i;
                break;
            }
        }

        for (int i = 0; i < end; i++)
        {
            ChatMessageContent message = history[i];
            if (message.Role != AuthorRole.Tool)
            {
                continue;
            }

            foreach (KernelContent item in message.Items)
            {
                if (item is FunctionResultContent { CallId: { } id } && IsRefused(id))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void RememberRefusal(string callId)
    {
        lock (_refusedCalls)
        {
            if (_refusedCalls.Add(callId))
            {
                _refusedOrder.Enqueue(callId);
                if (_refusedOrder.Count > RememberedRefusals)
                {
                    _refusedCalls.Remove(_refusedOrder.Dequeue());
                }
            }
        }
    }

    private bool IsRefused(string callId)
    {
        lock (_refusedCalls)
        {
            return _refusedCalls.Contains(callId);
        }
    }

    private void CountUsage(ChatMessageContent? message)
    {
        if (message?.Metadata is not { } metadata || !metadata.TryGetValue("Usage", out object? usage) || usage is null)
        {
            return;
        }

        lock (_countedMessages)
        {
            if (_countedMessages.TryGetValue(message, out _))
            {
                return;
            }

            _countedMessages.Add(message, usage);
        }

        try
        {
            // Once per usage object: a usage layer in the chat pipeline may have counted this very object already.
            Tracker.RecordUsageOnce(usage is UsageContent { Details: { } d } ? d : usage, message.ModelId);
        }
        catch (ArgumentException)
        {
            // Unknown usage shape from a connector: nothing to count, never fail the agent loop.
        }
    }

    private sealed class AutoScope
    {
        public bool Denied { get; set; }
    }
}
