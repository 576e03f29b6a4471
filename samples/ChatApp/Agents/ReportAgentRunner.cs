using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Agents.Planners.DeepResearch;
using Agents.Plugins.Memory;
using Microsoft.SemanticKernel;

namespace Agents.Samples.ChatApp.Agents;

/// <summary>
/// Report mode: runs the deep-research workflow (<see cref="DeepResearchWorkflow"/>) in a fresh workspace for the run
/// and streams its progress: the stage, the budget after every model call, and the report's sections as the
/// writer plans and writes them (read from its <c>report_outline.md</c>, the workflow's own record of them). The
/// answer is the report in Markdown.
/// </summary>
internal sealed class ReportAgentRunner
{
    private readonly IChatClient _chatClient;
    private readonly ResearchToolset _tools;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;

    public ReportAgentRunner(IChatClient chatClient, ResearchToolset tools, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _chatClient = chatClient;
        _tools = tools;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
    }

    public async IAsyncEnumerable<AgentEvent> RunAsync(
        AgentRunRequest request, BudgetTracker tracker, PlannerEventMapper mapper, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A workspace per report: the workflow binds its workspace to one question.
        using var workspace = _tools.OpenWorkspace($"{request.ConversationId}-report-{Guid.NewGuid():N}");
        var kernel = new Kernel();
        var webTools = new List<AIFunction>();
        if (request.Budget.SearchUnits > 0)
        {
            webTools.AddRange(_tools.WebPlugin.AsAIFunctions(kernel));
        }

        if (request.Budget.BrowseUnits > 0)
        {
            webTools.AddRange(_tools.CreateBrowserPlugin(new SourceArchive(workspace, _loggerFactory)).AsAIFunctions(kernel));
        }

        var events = Channel.CreateUnbounded<AgentEvent>(new UnboundedChannelOptions { SingleReader = true });
        var progress = new Progress(workspace, tracker, mapper, events.Writer);
        var model = new ObservedChatClient(_chatClient, progress.RespondedAsync);
        var workflow = new DeepResearchWorkflow(model, workspace, tracker, webTools, new DeepResearchOptions(), _timeProvider, _loggerFactory);

        yield return new ThinkingEvent("Deep research: collecting evidence (Context Builder), then writing the report section by section (Report Writer).", "report");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = Task.Run(async () =>
        {
            try
            {
                return await workflow.RunAsync(request.Question, stop.Token).ConfigureAwait(false);
            }
            finally
            {
                events.Writer.TryComplete();
            }
        }, CancellationToken.None);

        DeepResearchResult result;
        try
        {
            // The channel ends when the workflow does (it stops on the token).
            await foreach (var progressEvent in events.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return progressEvent;
            }

            result = await run.ConfigureAwait(false);
        }
        finally
        {
            // Left early (the page went away): stop the workflow and let it finish before its workspace is closed.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(run).ConfigureAwait(false);
        }

        if (await progress.SectionsIfChangedAsync(CancellationToken.None).ConfigureAwait(false) is { } sections)
        {
            yield return sections;
        }

        var report = await workspace.TryReadTextAsync(DeepResearchFiles.Report, CancellationToken.None).ConfigureAwait(false);
        yield return mapper.Budget(result.Budget);
        if (string.IsNullOrWhiteSpace(report))
        {
            var why = result.Budget.IsExhausted ? "the budget ran out before the writer could write it" : "the writer wrote none";
            yield return new AnswerEvent($"No report: {why}.", [], result.Budget.IsExhausted ? "budget_exhausted" : "gave_up");
        }
        else
        {
            var status = result.IsComplete ? "answered" : result.Budget.IsExhausted ? "budget_exhausted" : "gave_up";
            yield return new AnswerEvent(report, [], status) { IsReport = true };
        }
    }

    /// <summary>Turns the workflow's model calls into page events.</summary>
    private sealed class Progress(MemoryWorkspace workspace, BudgetTracker tracker, PlannerEventMapper mapper, ChannelWriter<AgentEvent> events)
    {
        private readonly Lock _gate = new();
        private string? _stage;
        private string? _outline;

        public async Task RespondedAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
        {
            var system = messages.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? string.Empty;
            var stage = system.Contains("Report Writer", StringComparison.Ordinal) ? "Writing the report (Report Writer)" : "Collecting evidence (Context Builder)";
            lock (_gate)
            {
                if (stage != _stage)
                {
                    _stage = stage;
                    events.TryWrite(new ThinkingEvent(stage, "stage"));
                }
            }

            if (await SectionsIfChangedAsync(cancellationToken).ConfigureAwait(false) is { } sections)
            {
                events.TryWrite(sections);
            }

            events.TryWrite(mapper.Budget(tracker.GetSnapshot()));
        }

        /// <summary>The sections when the outline changed since the last look, else <see langword="null"/>.</summary>
        public async Task<SectionsEvent?> SectionsIfChangedAsync(CancellationToken cancellationToken)
        {
            var outline = await workspace.TryReadTextAsync(DeepResearchFiles.ReportOutline, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (outline is null || outline == _outline)
                {
                    return null;
                }

                _outline = outline;
            }

            var sections = ReportSection.Parse(outline);
            return sections.Count == 0 ? null : new SectionsEvent(sections);
        }
    }
}
