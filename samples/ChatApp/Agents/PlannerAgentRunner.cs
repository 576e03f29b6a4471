using System.Runtime.CompilerServices;
using System.Text;
using Agents.Plugins.Memory;
using Agents.Planners.Bats;
using Agents.Planners.ReAct;
using Agents.Planners.Runs;
using Microsoft.SemanticKernel;
using PlannerRequest = Agents.Planners.Runs.AgentRunRequest;

namespace Agents.Samples.ChatApp.Agents;

/// <summary>
/// Runs BATS, ReAct + budget tracker or the deep-research report workflow over the configured model and research tools, with a fresh
/// <see cref="BudgetTracker"/> per run built from the user's budget, and streams the planners' events.
/// </summary>
internal sealed class PlannerAgentRunner : IAgentRunner
{
    private readonly IChatClient _chatClient;
    private readonly ResearchToolset _tools;
    private readonly ChatAppOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;

    public PlannerAgentRunner(IChatClient chatClient, ResearchToolset tools, IOptions<ChatAppOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        // Upstream failures reach the page only as an error id; the raw error is logged.
        _chatClient = new UpstreamErrorChatClient(chatClient, loggerFactory);
        _tools = tools;
        _options = options.Value;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
    }

    public async IAsyncEnumerable<AgentEvent> RunAsync(AgentRunRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var budget = CreateBudget(request.Budget, _options.Limits.MaxRunDuration);
        if (request.Approver is not null && _options.AskForMoreUnits > 0)
        {
            // A spent category pauses the run and asks the page (see RunAsks); the run goes on with what is granted.
            budget.ExtensionApprover = request.Approver;
            budget.AskForMoreUnits = _options.AskForMoreUnits;
        }

        var tracker = new BudgetTracker(budget, _timeProvider, _loggerFactory);
        var mapper = new PlannerEventMapper(request.Budget, _options.Limits.MaxRunDuration);
        yield return mapper.Budget(tracker.GetSnapshot());
        if (request.Strategy == AgentStrategy.Report)
        {
            var report = new ReportAgentRunner(_chatClient, _tools, _timeProvider, _loggerFactory);
            await foreach (var reportEvent in report.RunAsync(request, tracker, mapper, cancellationToken).ConfigureAwait(false))
            {
                yield return reportEvent;
            }

            yield break;
        }

        using var workspace = _tools.OpenWorkspace(request.ConversationId);
        var kernel = new Kernel();
        if (request.Budget.SearchUnits > 0)
        {
            kernel.Plugins.Add(_tools.WebPlugin);
        }

        if (request.Budget.BrowseUnits > 0)
        {
            kernel.Plugins.Add(_tools.CreateBrowserPlugin(new SourceArchive(workspace, _loggerFactory)));
        }

        kernel.Plugins.Add(_tools.CreateMemoryPlugin(workspace));
        AgentRunner agent = request.Strategy == AgentStrategy.Bats
            ? new BatsAgent(_chatClient, kernel, tracker, new BatsOptions(), _timeProvider, _loggerFactory)
            : new ReActAgent(_chatClient, kernel, tracker, new ReActOptions { BudgetAware = true }, _timeProvider, _loggerFactory);

        var plannerRequest = new PlannerRequest(request.Question) { Context = FormatHistory(request.History), StreamAnswer = true };
        await foreach (var runEvent in agent.RunStreamingAsync(plannerRequest, cancellationToken).ConfigureAwait(false))
        {
            foreach (var mapped in mapper.Map(runEvent, tracker))
            {
                yield return mapped;
            }
        }
    }

    /// <summary>Turns the user's budget into tracker options; a category with 0 units gets no tool at all.</summary>
    internal static BudgetOptions CreateBudget(SessionBudget budget, TimeSpan maxDuration)
    {
        var options = ResearchToolset.MapTools(new BudgetOptions());
        if (budget.SearchUnits > 0)
        {
            options.SetToolLimit("search", budget.SearchUnits);
        }

        if (budget.BrowseUnits > 0)
        {
            options.SetToolLimit("browse", budget.BrowseUnits);
        }

        options.MaxInputTokens = budget.MaxTokens;
        options.MaxOutputTokens = budget.MaxTokens;
        options.MaxCostUsd = budget.MaxCostUsd;
        options.MaxDuration = maxDuration;
        options.OnExhaustion = ExhaustionBehavior.FinalAnswerWithoutTools;
        return options;
    }

    private static string? FormatHistory(IReadOnlyList<ChatTurn> history)
    {
        if (history.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder("Earlier in this conversation:\n");
        foreach (var turn in history.TakeLast(10))
        {
            text.Append(turn.Role).Append(": ").AppendLine(turn.Text.Length <= 2000 ? turn.Text : turn.Text[..2000] + "...");
        }

        return text.ToString();
    }
}
