using System.ComponentModel;
using System.Globalization;
using System.Text;
using Agents.Budget;
using Agents.Planners.Bats;
using Agents.Planners.ReAct;
using Agents.Planners.Runs;
using Agents.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
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

    public ResearchFunction(ResearchModel model, Kernel kernel, BudgetTracker tracker, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
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

        var result = await agent.RunAsync(question, cancellationToken).ConfigureAwait(false);
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
}
