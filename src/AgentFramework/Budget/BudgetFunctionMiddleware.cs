namespace Agents.AgentFramework;

/// <summary>The function-calling layer: every tool call goes through <see cref="BudgetTracker.InvokeToolAsync"/>.</summary>
internal static class BudgetFunctionMiddleware
{
    public static async ValueTask<object?> InvokeAsync(
        BudgetTracker tracker,
        BudgetReceiptLog? receipts,
        BudgetAskState? ask,
        FunctionInvocationContext context,
        Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> next,
        CancellationToken cancellationToken)
    {
        var function = new ContinuationFunction(context, next);
        BudgetedToolResult result = await tracker.InvokeToolAsync(function, context.Arguments, cancellationToken).ConfigureAwait(false);
        receipts?.Record(
            result.Executed ? BudgetReceiptKind.Granted : BudgetReceiptKind.Refused,
            result.Category,
            result.Units,
            result.Executed ? context.Function.Name : result.DeniedReason);
        if (ask is null)
        {
            if (result.ShouldTerminate)
            {
                context.Terminate = true;
            }

            return result.Result;
        }

        // Asking: a call refused because its category is spent pauses the run; a spent category alone does not stop it.
        bool onlyCategories = OnlyCategoriesExhausted(tracker.GetSnapshot(), out bool categorySpent);
        if (!result.Executed && result.Units > 0 && onlyCategories && IsSpent(tracker, result) && context.CallContent is { } call)
        {
            ask.Refused[call.CallId] = (result.Category, call);
            context.Terminate = true;
        }
        else if (result.ShouldTerminate && !(onlyCategories && categorySpent))
        {
            context.Terminate = true;
        }

        return result.Result;
    }

    private static bool IsSpent(BudgetTracker tracker, BudgetedToolResult result) =>
        tracker.GetSnapshot().GetCategory(result.Category) is { Limit: not null, Remaining: { } remaining } && remaining < result.Units;

    /// <summary>Whether no budget other than category units is exhausted.</summary>
    internal static bool OnlyCategoriesExhausted(BudgetSnapshot snapshot, out bool categorySpent)
    {
        int spent = snapshot.Categories.Count(c => c.Limit is { } limit && c.Used >= limit);
        categorySpent = spent > 0;
        return snapshot.ExhaustedReasons.Count == spent;
    }
}
