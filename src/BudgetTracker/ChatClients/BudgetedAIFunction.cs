namespace Agents.Budget;

/// <summary>Wraps a tool so that each call goes through <see cref="BudgetTracker.InvokeToolAsync"/>.</summary>
internal sealed class BudgetedAIFunction : DelegatingAIFunction
{
    private readonly BudgetTracker _tracker;
    private readonly BudgetRequestState _state;

    public BudgetedAIFunction(AIFunction innerFunction, BudgetTracker tracker, BudgetRequestState state)
        : base(innerFunction)
    {
        _tracker = tracker;
        _state = state;
    }

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        // A tool may run a request of its own (a sub-agent): that request is a new top-level request, not a layer of this one.
        _tracker.UsageScopes.Value = null;
        BudgetedToolResult result = await _tracker.InvokeToolAsync(InnerFunction, arguments, cancellationToken).ConfigureAwait(false);
        if (result.ShouldTerminate)
        {
            _state.HardLimitReached = true;
            if (FunctionInvokingChatClient.CurrentContext is { } context)
            {
                context.Terminate = true;
            }
        }

        return result.Result;
    }
}
