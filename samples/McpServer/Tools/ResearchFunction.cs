using System.ComponentModel;
using System.Globalization;
using Agents.Planners.Bats;
using Agents.Planners.ReAct;
using Agents.Planners.Runs;
using Agents.Planners.Runs.Events;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agents.Samples.McpServer.Tools;

/// <summary>The <c>research</c> tool: runs a budget-aware agent on the server's tools and budget.</summary>
internal sealed class ResearchFunction
{
    private readonly ResearchModel _model;
    private readonly Kernel _kernel;
    private readonly BudgetTracker _tracker;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ToolProgress _progress;

    public ResearchFunction(ResearchModel model, Kernel kernel, BudgetTracker tracker, ToolProgress progress, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _progress = progress;
        _model = model;
        _kernel = kernel;
        _tracker = tracker;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
    }

    public AIFunction AsAIFunction() => AIFunctionFactory.Create(ResearchAsync, new AIFunctionFactoryOptions
    {
        Name = "research",
        Description = "Researches a question with a budget-aware agent that searches, browses and takes notes on the server's budget; returns the answer, its status and what it cost.",
    });

    [Description("Researches a question with a budget-aware agent.")]
    private async Task<string> ResearchAsync(
        [Description("The question to research.")] string question,
        [Description("'react' (ReAct with the budget tracker, default) or 'bats' (plan, verify, dig deeper or pivot).")] string? strategy = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(question))
        {
            return "Error: 'question' is empty; give the question to research.";
        }

        AgentRunner agent;
        switch (strategy?.Trim().ToLowerInvariant())
        {
            case null or "" or "react":
                agent = new ReActAgent(_model.Client, _kernel, _tracker, new ReActOptions { BudgetAware = true }, _timeProvider, _loggerFactory);
                break;
            case "bats":
                agent = new BatsAgent(_model.Client, _kernel, _tracker, new BatsOptions(), _timeProvider, _loggerFactory);
                break;
            default:
                return $"Error: strategy '{strategy}' is unknown; use 'react' or 'bats'.";
        }

        // Every step goes to the client as a progress notification when it asked for them (a progressToken).
        AgentRunResult? result = null;
        var steps = 0;
        await foreach (var runEvent in agent.RunStreamingAsync(question, cancellationToken).ConfigureAwait(false))
        {
            if (runEvent is RunCompletedEvent { ParentRunId: null } completed)
            {
                result = completed.Result;
            }
            else if (Describe(runEvent) is { } step)
            {
                await _progress.ReportAsync(++steps, step, cancellationToken).ConfigureAwait(false);
            }
        }

        if (result is null)
        {
            throw new InvalidOperationException("The agent's run ended without a result.");
        }

        var cost = result.Cost;
        var text = new StringBuilder();
        if (result.Status == AgentRunStatus.GaveUp && result.StatusReason.StartsWith("The run failed:", StringComparison.Ordinal))
        {
            // A run that crashed is a failed call (isError); its error text is logged, the client sees an id.
            text.Append("Error: ");
        }

        text.Append("Status: ").AppendLine(result.Status.ToString());
        text.Append("Answer: ").AppendLine(string.IsNullOrWhiteSpace(result.Answer) ? "(none) " + ErrorIds.SafeStatusReason(result) : result.Answer);
        text.Append(CultureInfo.InvariantCulture, $"Cost of this run: ${cost.CostUsd:0.######} ({cost.InputTokens} input tokens, {cost.OutputTokens} output tokens, {cost.ModelCalls} model calls");
        foreach (var (category, units) in cost.ToolUnits)
        {
            text.Append(CultureInfo.InvariantCulture, $", {units} {category} units");
        }

        text.Append(')');
        return text.ToString();
    }

    /// <summary>One line for a step of the run, or <see langword="null"/> for events that are not steps.</summary>
    private static string? Describe(AgentRunEvent runEvent) => runEvent switch
    {
        ToolCalledEvent { Call: var call } => call.Executed ? $"Called {call.Name}" : $"Refused {call.Name}",
        ModelRespondedEvent model => $"Model replied ({model.Purpose})",
        PlanUpdatedEvent => "Updated the plan",
        VerificationCompletedEvent verified => $"Verified: {verified.Report.Decision}",
        AnswerProposedEvent => "Proposed an answer",
        _ => null,
    };
}
