using Agents.Budget;
using Microsoft.Extensions.AI;

namespace Agents.AgentFramework;

/// <summary>The function-calling layer: every tool call goes through <see cref="BudgetTracker.InvokeToolAsync"/>.</summary>
internal static class BudgetFunctionMiddleware
{
    public static async ValueTask<object?> InvokeAsync(
        BudgetTracker tracker,
        FunctionInvocationContext context,
        Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> next,
        CancellationToken cancellationToken)
    {
        var function = new ContinuationFunction(context, next);
        BudgetedToolResult result = await tracker.InvokeToolAsync(function, context.Arguments, cancellationToken).ConfigureAwait(false);
        if (result.ShouldTerminate)
        {
            context.Terminate = true;
        }

        return result.Result;
    }
}
