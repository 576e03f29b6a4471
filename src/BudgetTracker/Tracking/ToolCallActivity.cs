using System.Diagnostics;

namespace Agents.Budget;

/// <summary>
/// The span of one tool call on the <c>Agents.Budget</c> <see cref="ActivitySource"/>, following the OpenTelemetry
/// gen_ai conventions for tool execution (<c>execute_tool {name}</c>, <c>gen_ai.operation.name</c>,
/// <c>gen_ai.tool.name</c>, <c>gen_ai.tool.type</c>, <c>error.type</c>) plus the budget's own attributes:
/// <c>agents.budget.category</c>, <c>agents.budget.units</c> (charged; asked for when refused),
/// <c>agents.budget.cost_usd</c>, <c>agents.budget.regime</c> (after the call) and <c>agents.budget.outcome</c>
/// (<c>granted</c>, <c>refused</c> or <c>invalid_arguments</c>); when the call was refused for a spent category and the
/// extension approver was asked: <c>agents.budget.extension.outcome</c> (<c>granted</c>, <c>declined</c> or <c>failed</c>),
/// <c>agents.budget.extension.offered</c> and <c>agents.budget.extension.units</c> (granted).
/// </summary>
internal static class ToolCallActivity
{
    /// <summary>The name of the activity source (and of the meter).</summary>
    public const string SourceName = "Agents.Budget";

    private static readonly ActivitySource Source = new(SourceName, typeof(ToolCallActivity).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span of a call, or returns <see langword="null"/> when nobody listens.</summary>
    public static Activity? Start(ResolvedTool tool)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity("execute_tool " + tool.DisplayName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "execute_tool");
            activity.SetTag("gen_ai.tool.name", tool.DisplayName);
            activity.SetTag("gen_ai.tool.type", "function");
            activity.SetTag("agents.budget.category", tool.Category.Name);
        }

        return activity;
    }

    /// <summary>Records how the call ended.</summary>
    public static void Complete(Activity? activity, BudgetedToolResult result, CategoryState category, BudgetRegime regime)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag("agents.budget.outcome", result.Outcome switch
        {
            BudgetedToolOutcome.Executed => "granted",
            BudgetedToolOutcome.Refused => "refused",
            _ => "invalid_arguments",
        });
        activity.SetTag("agents.budget.units", result.Units);
        activity.SetTag("agents.budget.cost_usd", result.Executed ? (double)(result.Units * category.UnitPrice) : 0d);
        activity.SetTag("agents.budget.regime", regime.ToString().ToLowerInvariant());
    }

    /// <summary>Records the answer of the extension approver asked during the call.</summary>
    public static void Asked(Activity? activity, int offered, int granted, Exception? error)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag("agents.budget.extension.outcome", error is not null ? "failed" : granted > 0 ? "granted" : "declined");
        activity.SetTag("agents.budget.extension.offered", offered);
        activity.SetTag("agents.budget.extension.units", granted);
    }

    /// <summary>Records a tool that threw; its units were released.</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetTag("agents.budget.outcome", "granted");
            activity.SetTag("agents.budget.units", 0);
            activity.SetTag("agents.budget.cost_usd", 0d);
        }
    }
}
