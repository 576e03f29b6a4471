using Agents.Plugins.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;

namespace Agents.Planners.DeepResearch;

/// <summary>
/// The FS-Researcher deep-research workflow: a Context Builder collects evidence into a workspace on disk over
/// several rounds, then a Report Writer writes <c>report.md</c> section by section from it. Every round is a
/// fresh context; the files are the only memory, so a run can be killed at any point and rerun on the same
/// workspace: round numbers come from the logs and finished stages are skipped without spending a round.
/// </summary>
/// <remarks>
/// The whole run spends one <see cref="BudgetTracker"/>: web tools are charged through it, model usage is
/// recorded in it, and its budget block is in every round's user message. Its spend is written atomically to
/// <see cref="DeepResearchFiles.BudgetState"/> after every model call and web tool call, and a rerun restores it
/// into its (fresh) tracker before the first round, so a killed and resumed run spends one budget in total. The sub-researchers
/// and the Report Writer each spend a child budget whose limits and spend are kept in <see cref="DeepResearchFiles.ChildBudgets"/>;
/// a child cut off in its run resumes with the same limits and its earlier spend. When it is exhausted the Context
/// Builder stops; the Report Writer still writes a report from what exists (its file tools are not charged).
/// The caller's browse tool should hand every page it reads to a <see cref="SourceArchive"/> over the same
/// workspace, so that report citations can resolve to archived sources.
/// </remarks>
public sealed class DeepResearchWorkflow
{
    private readonly MemoryWorkspace _workspace;
    private readonly BudgetTracker _budget;
    private readonly DeepResearchOptions _options;
    private readonly IReadOnlyList<AIFunction> _webTools;
    private readonly IReadOnlyList<AIFunction> _fileTools;
    private readonly CitationChecker _citations;
    private readonly IChatClient _chatClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private bool _restored;

    /// <summary>Creates the workflow.</summary>
    /// <param name="chatClient">The model. Function calls are run by the workflow, so do not add function invocation to it.</param>
    /// <param name="workspace">The workspace folder; it may hold an earlier, unfinished run.</param>
    /// <param name="budget">The budget for the whole run.</param>
    /// <param name="webTools">The Context Builder's web tools, for example <c>search</c> and <c>browse</c>.</param>
    /// <param name="options">The options; defaults when <see langword="null"/>. Validated here.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Logging; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid, or two tools share a name.</exception>
    public DeepResearchWorkflow(
        IChatClient chatClient,
        MemoryWorkspace workspace,
        BudgetTracker budget,
        IEnumerable<AIFunction> webTools,
        DeepResearchOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(webTools);
        _options = options ?? new DeepResearchOptions();
        _options.Validate();
        _workspace = workspace;
        _budget = budget;
        _timeProvider = timeProvider ?? TimeProvider.System;
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = factory.CreateLogger<DeepResearchWorkflow>();
        _webTools = [.. webTools];
        var fileToolOptions = new FileSystemMemoryPluginOptions
        {
            MaxReadLines = _options.FileTools.MaxReadLines,
            MaxReadChars = _options.FileTools.MaxReadChars,
            MaxListEntries = _options.FileTools.MaxListEntries,
            MaxGrepMatches = _options.FileTools.MaxGrepMatches,
            RegexTimeout = _options.FileTools.RegexTimeout,
            MaxSearchResults = _options.FileTools.MaxSearchResults,
        };
        fileToolOptions.ProtectedFiles.UnionWith(_options.FileTools.ProtectedFiles);
        fileToolOptions.ProtectedFiles.Add(DeepResearchFiles.Task);
        fileToolOptions.ProtectedFiles.Add(DeepResearchFiles.BudgetState);
        fileToolOptions.ProtectedFiles.Add(DeepResearchFiles.ChildBudgets);
        fileToolOptions.HostFiles.UnionWith(
        [
            DeepResearchFiles.Index,
            DeepResearchFiles.KnowledgeBaseLog,
            DeepResearchFiles.ReportOutline,
            DeepResearchFiles.Report,
            DeepResearchFiles.ReportLog,
        ]);
        var plugin = new FileSystemMemoryPlugin(workspace, fileToolOptions, factory);
        _fileTools = [.. KernelPluginFactory.CreateFromObject(plugin, "files")];
        var names = _webTools.Concat(_fileTools).GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (names is not null)
        {
            throw new ArgumentException($"Two tools are named '{names.Key}'; every web tool needs a unique name that differs from the file tools.", nameof(webTools));
        }

        _citations = new CitationChecker(workspace);
        _chatClient = chatClient;
        SummarizerChatClient = _options.SummarizerChatClient ?? chatClient;
    }

    /// <summary>
    /// Gets the page reader's model: <see cref="DeepResearchOptions.SummarizerChatClient"/>, else the workflow's model. Build the
    /// browse tool's page summariser on it (<c>BrowserPluginOptions.PageSummarizer = new ModelReaderPlugin(workflow.SummarizerChatClient)</c>)
    /// so that pages are condensed towards the goal by the summariser model.
    /// </summary>
    public IChatClient SummarizerChatClient { get; }

    /// <summary>Runs (or resumes) the research on the workspace until the report is written or a limit is reached.</summary>
    /// <remarks>
    /// The first call on a workflow instance adds the spend stored in <see cref="DeepResearchFiles.BudgetState"/> by
    /// earlier runs to the tracker (<see cref="BudgetTracker.RestoreSpend"/>), so give every process a fresh tracker;
    /// the result's budget then covers all runs on the workspace.
    /// </remarks>
    /// <param name="question">The research question; a rerun on the same workspace must pass the same question.</param>
    /// <param name="cancellationToken">Cancels the run; everything written so far stays and a rerun resumes.</param>
    /// <returns>What each stage did, the citation check of the report and the budget.</returns>
    /// <exception cref="ArgumentException">The question is empty, or differs from the one in <c>task.md</c>.</exception>
    /// <exception cref="InvalidDataException"><see cref="DeepResearchFiles.BudgetState"/> is not valid JSON, or names a tool
    /// category the tracker does not know.</exception>
    public async Task<DeepResearchResult> RunAsync(string question, CancellationToken cancellationToken)
    {
        var builder = await RunStageAsync(DeepResearchStage.ContextBuilder, question, cancellationToken).ConfigureAwait(false);
        var writer = await RunStageAsync(DeepResearchStage.ReportWriter, question, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(builder, writer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs (or resumes, or skips when finished) one stage on the workspace, for hosts that run the stages as separate
    /// steps (the Agent Framework executors do); <see cref="RunAsync"/> runs both with it, so that the stages keep one
    /// implementation. Run <see cref="DeepResearchStage.ContextBuilder"/>, then <see cref="DeepResearchStage.ReportWriter"/>,
    /// then <see cref="CompleteAsync"/>.
    /// </summary>
    /// <param name="stage">The stage to run.</param>
    /// <param name="question">The research question; a rerun on the same workspace must pass the same question.</param>
    /// <param name="cancellationToken">Cancels the stage; everything written so far stays and a rerun resumes.</param>
    /// <returns>What the stage did.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stage"/> is not a defined stage.</exception>
    /// <exception cref="ArgumentException">The question is empty, or differs from the one in <c>task.md</c>.</exception>
    /// <exception cref="InvalidDataException"><see cref="DeepResearchFiles.BudgetState"/> is not valid JSON, or names a tool
    /// category the tracker does not know.</exception>
    public async Task<StageOutcome> RunStageAsync(DeepResearchStage stage, string question, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(stage))
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, $"Unknown deep-research stage {stage}: run {nameof(DeepResearchStage.ContextBuilder)} or {nameof(DeepResearchStage.ReportWriter)}.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        question = question.Trim();
        await BindTaskAsync(question, cancellationToken).ConfigureAwait(false);
        await RestoreBudgetAsync(cancellationToken).ConfigureAwait(false);

        using var saveGate = new SemaphoreSlim(1, 1);
        Func<Task> checkpoint = () => SaveBudgetAsync(saveGate);
        StageOutcome outcome;
        if (stage == DeepResearchStage.ContextBuilder)
        {
            using (HoldWriterShare())
            {
                outcome = await RunBuilderAsync(question, checkpoint, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            outcome = await RunWriterAsync(question, checkpoint, cancellationToken).ConfigureAwait(false);
        }
        await checkpoint().ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Builds the result of a run whose stages ran separately (<see cref="RunStageAsync"/>): checks the report's citations and takes the budget.</summary>
    /// <param name="builder">What the Context Builder stage did.</param>
    /// <param name="writer">What the Report Writer stage did.</param>
    /// <param name="cancellationToken">Cancels the citation check.</param>
    /// <returns>The result, as <see cref="RunAsync"/> returns it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="writer"/> is <see langword="null"/>.</exception>
    public async Task<DeepResearchResult> CompleteAsync(StageOutcome builder, StageOutcome writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(writer);
        var citations = _workspace.FileExists(DeepResearchFiles.Report)
            ? await _citations.CheckAsync(DeepResearchFiles.Report, cancellationToken).ConfigureAwait(false)
            : null;
        return new DeepResearchResult(builder, writer, Path.Combine(_workspace.RootPath, DeepResearchFiles.Report), citations, _budget.GetSnapshot());
    }

    // FS-Researcher: a tool result condensed out of the context stays readable in the workspace.
    private async Task<string?> ArchiveToolResultAsync(string callId, string text, CancellationToken cancellationToken)
    {
        var name = new string([.. callId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        var path = $"{DeepResearchFiles.ToolResults}/{(name.Length == 0 ? "result" : name)}.md";
        try
        {
            await _workspace.WriteTextAsync(path, text, cancellationToken).ConfigureAwait(false);
            return path;
        }
        catch (IOException ex)
        {
            _logger.LogWarning(ex, "Could not archive a condensed tool result to {Path}; the model gets only its summary.", path);
            return null;
        }
    }

    private async Task BindTaskAsync(string question, CancellationToken cancellationToken)
    {
        var existing = await _workspace.TryReadTextAsync(DeepResearchFiles.Task, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            await _workspace.WriteTextAsync(DeepResearchFiles.Task, question + "\n", cancellationToken).ConfigureAwait(false);
        }
        else if (!string.Equals(existing.Trim(), question, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The workspace belongs to another question (see {DeepResearchFiles.Task}); use a new workspace folder for a new question.",
                nameof(question));
        }

        if (!_workspace.FileExists(DeepResearchFiles.Index))
        {
            await _workspace.WriteTextAsync(
                DeepResearchFiles.Index,
                $"# Index\n\nQuestion: {question}\n\n## Key questions\n\n## Target hierarchy\n\n## TODO\n",
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RestoreBudgetAsync(CancellationToken cancellationToken)
    {
        if (_restored)
        {
            return;
        }

        var prior = await BudgetStateFile.ReadAsync(_workspace, cancellationToken).ConfigureAwait(false);
        if (prior is not null)
        {
            BudgetRestoreResult restored;
            try
            {
                restored = _budget.RestoreSpend(prior);
            }
            catch (ArgumentException ex)
            {
                throw BudgetStateFile.Invalid(_workspace, ex.Message, ex);
            }

            _logger.LogInformation("Resumed the budget of earlier runs: {Budget}", _budget.GetSnapshot());
            if (restored.IsExhausted)
            {
                _logger.LogWarning("The budget of earlier runs is used up ({Restore}); tool calls will be refused.", restored);
            }
        }

        _restored = true;
    }

    /// <summary>Writes the tracker's spend; serialized so that the file always ends with the latest spend.</summary>
    private async Task SaveBudgetAsync(SemaphoreSlim gate)
    {
        // Not cancellable: the spend of a call that completed must reach the disk even while the run is being cancelled.
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await BudgetStateFile.WriteAsync(_workspace, _budget.GetSpend(), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<StageOutcome> RunBuilderAsync(string question, Func<Task> checkpoint, CancellationToken cancellationToken)
    {
        const DeepResearchStage Stage = DeepResearchStage.ContextBuilder;
        var log = await ReadAsync(DeepResearchFiles.KnowledgeBaseLog, cancellationToken).ConfigureAwait(false);
        if (StageLog.HasMarker(log))
        {
            return new StageOutcome(Stage, 0, StageLog.LastRound(log), StageStopReason.AlreadyComplete);
        }

        var system = (_options.BuilderSystemPrompt ?? DeepResearchPrompts.Builder) + "\n\n" + _budget.FormatGuideline();
        var ran = 0;
        while (true)
        {
            var last = StageLog.LastRound(log);
            if (last >= _options.MaxBuilderRounds)
            {
                return new StageOutcome(Stage, ran, last, StageStopReason.RoundCap);
            }

            if (_budget.IsExhausted)
            {
                await NoteExhaustionAsync(cancellationToken).ConfigureAwait(false);
                return new StageOutcome(Stage, ran, last, StageStopReason.BudgetExhausted);
            }

            var round = last + 1;
            await StartRoundAsync(DeepResearchFiles.KnowledgeBaseLog, round, cancellationToken).ConfigureAwait(false);
            ran++;
            _logger.LogInformation("Context Builder round {Round} of {Total}.", round, _options.MaxBuilderRounds);
            var index = await ReadAsync(DeepResearchFiles.Index, cancellationToken).ConfigureAwait(false);
            var topics = TopicIndex.OpenTopics(index, _options.MaxParallelTopics);
            RoundRun run;
            if (_options.MaxParallelTopics > 1 && topics.Count > 0)
            {
                run = await RunTopicsAsync(question, round, topics, checkpoint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // A round with open topics researches; one without plans (the first round) or self-checks.
                var client = topics.Count > 0 ? _options.ResearcherChatClient : _options.PlannerChatClient;
                var user = DeepResearchPrompts.BuilderRound(question, round, _options.MaxBuilderRounds, _budget.FormatBudgetBlock());
                run = await Agent(client, _budget).RunAsync(system, user, _webTools, _fileTools, stopOnExhaustion: true, checkpoint, cancellationToken).ConfigureAwait(false);
            }

            log = await ReadAsync(DeepResearchFiles.KnowledgeBaseLog, cancellationToken).ConfigureAwait(false);
            if (!StageLog.HasMarker(log) && StageLog.HasMarker(run.FinalText) && !run.BudgetStopped)
            {
                await _workspace.AppendTextAsync(DeepResearchFiles.KnowledgeBaseLog, DeepResearchOptions.StageCompleteMarker, cancellationToken).ConfigureAwait(false);
                log = await ReadAsync(DeepResearchFiles.KnowledgeBaseLog, cancellationToken).ConfigureAwait(false);
            }

            if (StageLog.HasMarker(log))
            {
                return new StageOutcome(Stage, ran, round, StageStopReason.Completed);
            }

            if (run.BudgetStopped || _budget.IsExhausted)
            {
                await NoteExhaustionAsync(cancellationToken).ConfigureAwait(false);
                return new StageOutcome(Stage, ran, round, StageStopReason.BudgetExhausted);
            }
        }
    }

    private async Task<StageOutcome> RunWriterAsync(string question, Func<Task> checkpoint, CancellationToken cancellationToken)
    {
        const DeepResearchStage Stage = DeepResearchStage.ReportWriter;
        var log = await ReadAsync(DeepResearchFiles.ReportLog, cancellationToken).ConfigureAwait(false);
        if (StageLog.HasMarker(log))
        {
            return new StageOutcome(Stage, 0, StageLog.LastRound(log), StageStopReason.AlreadyComplete);
        }

        // The writer spends its own child budget (all that is left), kept in the workspace so that a resumed writer continues it.
        using var share = await StoredChildBudget.OpenAsync(_workspace, _budget, StoredChildBudget.WriterPath, StoredChildBudget.WriterOwner, 1, _logger, cancellationToken).ConfigureAwait(false);
        var outcome = await WriteReportAsync(question, log, share, checkpoint, cancellationToken).ConfigureAwait(false);
        await share.CloseAsync().ConfigureAwait(false);
        return outcome;
    }

    private async Task<StageOutcome> WriteReportAsync(string question, string? log, StoredChildBudget share, Func<Task> checkpoint, CancellationToken cancellationToken)
    {
        const DeepResearchStage Stage = DeepResearchStage.ReportWriter;
        var save = Checkpoint(checkpoint, share);
        var system = _options.WriterSystemPrompt ?? DeepResearchPrompts.Writer;
        var ran = 0;
        while (true)
        {
            var last = StageLog.LastRound(log);
            var sections = OutlineSection.Parse(await ReadAsync(DeepResearchFiles.ReportOutline, cancellationToken).ConfigureAwait(false));
            string? problems = null;
            if (sections.Count > 0 && sections.All(s => s.IsComplete))
            {
                // Whole-report check: the citations must resolve before the stage is complete.
                var check = _workspace.FileExists(DeepResearchFiles.Report)
                    ? await _citations.CheckAsync(DeepResearchFiles.Report, cancellationToken).ConfigureAwait(false)
                    : null;
                if (check is { IsValid: true })
                {
                    await _workspace.AppendTextAsync(
                        DeepResearchFiles.ReportLog,
                        $"## Whole-report check\n{check}\n{DeepResearchOptions.StageCompleteMarker}",
                        cancellationToken).ConfigureAwait(false);
                    return new StageOutcome(Stage, ran, last, StageStopReason.Completed);
                }

                problems = check?.ToString() ?? "report.md does not exist; write it from the outline.";
            }

            if (last >= _options.MaxWriterRounds)
            {
                return new StageOutcome(Stage, ran, last, StageStopReason.RoundCap);
            }

            var round = last + 1;
            var block = _budget.FormatBudgetBlock();
            string user;
            if (sections.Count == 0)
            {
                user = DeepResearchPrompts.WriterOutlineRound(question, round, _options.MaxWriterRounds, block);
            }
            else if (problems is not null)
            {
                user = DeepResearchPrompts.WriterCheckRound(question, round, _options.MaxWriterRounds, problems, block);
            }
            else
            {
                var next = sections.First(s => !s.IsComplete);
                var index = sections.ToList().IndexOf(next) + 1;
                user = DeepResearchPrompts.WriterSectionRound(question, round, _options.MaxWriterRounds, next.Title, index, sections.Count, block);
            }

            await StartRoundAsync(DeepResearchFiles.ReportLog, round, cancellationToken).ConfigureAwait(false);
            ran++;
            _logger.LogInformation("Report Writer round {Round} of {Total}.", round, _options.MaxWriterRounds);
            var run = await Agent(_options.WriterChatClient, share.Tracker).RunAsync(system, user, [], _fileTools, stopOnExhaustion: false, save, cancellationToken, finalAnswer: true).ConfigureAwait(false);
            log = await ReadAsync(DeepResearchFiles.ReportLog, cancellationToken).ConfigureAwait(false);
            if (run.BudgetStopped && run.ModelCalls == 0)
            {
                // Not even the first model call of the round fits: the writer stops with what is written.
                return new StageOutcome(Stage, ran, round, StageStopReason.BudgetExhausted);
            }
        }
    }

    private RoundAgent Agent(IChatClient? client, BudgetTracker budget) =>
        new(client ?? _chatClient, budget, _options, _logger, _workspace.RedactPaths, ArchiveToolResultAsync);

    /// <summary>The checkpoint of a child: the run's spend first (the hard bound), then the child's own.</summary>
    private static Func<Task> Checkpoint(Func<Task> checkpoint, StoredChildBudget child) => async () =>
    {
        await checkpoint().ConfigureAwait(false);
        await child.SaveAsync().ConfigureAwait(false);
    };

    /// <summary>
    /// One parallel Context Builder round: a sub-researcher per topic, each with a child budget (the remainder split evenly,
    /// or, for a topic whose run was interrupted, its stored limits and spend: see <see cref="StoredChildBudget"/>) and its own
    /// folder, then their findings merged into index.md in topic order. A sub-researcher that fails or is cancelled loses
    /// nothing of the others: the merge runs in any case, and its topic stays open for a later round.
    /// </summary>
    private async Task<RoundRun> RunTopicsAsync(string question, int round, IReadOnlyList<ResearchTopic> topics, Func<Task> checkpoint, CancellationToken cancellationToken)
    {
        var children = new List<StoredChildBudget>(topics.Count);
        try
        {
            foreach (var topic in topics)
            {
                children.Add(await StoredChildBudget.OpenAsync(_workspace, _budget, StoredChildBudget.TopicPath(topic), topic.Title, topics.Count, _logger, cancellationToken).ConfigureAwait(false));
            }

            return await RunTopicsAsync(question, round, topics, children, checkpoint, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var child in children)
            {
                child.Dispose();
            }
        }
    }

    private async Task<RoundRun> RunTopicsAsync(
        string question, int round, IReadOnlyList<ResearchTopic> topics, List<StoredChildBudget> children, Func<Task> checkpoint, CancellationToken cancellationToken)
    {
        var system = DeepResearchPrompts.SubResearcher + "\n\n" + _budget.FormatGuideline();
        _logger.LogInformation("Context Builder round {Round}: {Count} topics in parallel.", round, topics.Count);
        var runs = topics.Select((topic, i) => Task.Run(
            () => Agent(_options.ResearcherChatClient, children[i].Tracker).RunAsync(
                system,
                DeepResearchPrompts.TopicRound(question, round, _options.MaxBuilderRounds, topic.Title, topic.Folder, topic.FindingsFile, children[i].Tracker.FormatBudgetBlock()),
                _webTools,
                _fileTools,
                stopOnExhaustion: true,
                Checkpoint(checkpoint, children[i]),
                cancellationToken),
            cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Each run's own outcome is read below; the others' work is merged whatever happened to one.
        }

        var results = new List<(ResearchTopic Topic, string? Findings, bool Completed)>();
        var log = new System.Text.StringBuilder();
        for (var i = 0; i < topics.Count; i++)
        {
            var findings = await _workspace.TryReadTextAsync(topics[i].FindingsFile, CancellationToken.None).ConfigureAwait(false);
            var task = runs[i];
            var completed = task.Status == TaskStatus.RanToCompletion && !task.Result.BudgetStopped;
            var state = task.Status switch
            {
                TaskStatus.RanToCompletion => task.Result.BudgetStopped ? "stopped by its budget" : "complete",
                TaskStatus.Canceled => "cancelled",
                _ => "failed: " + _workspace.RedactPaths(task.Exception?.GetBaseException().Message ?? "unknown error"),
            };
            if (task.IsFaulted)
            {
                _logger.LogWarning(task.Exception?.GetBaseException(), "The sub-researcher of topic {Topic} failed.", topics[i].Title);
            }

            // A cancelled run stays open: resumed, it continues with the same limits. Any other run ended.
            await (task.IsCanceled ? children[i].SaveAsync() : children[i].CloseAsync()).ConfigureAwait(false);
            log.Append(CultureInfo.InvariantCulture, $"- Topic \"{topics[i].Title}\" ({topics[i].Folder}/): {state}\n");
            results.Add((topics[i], findings, completed));
        }

        // Not cancellable: what the sub-researchers found must reach index.md even while the run is being cancelled.
        var index = await ReadAsync(DeepResearchFiles.Index, CancellationToken.None).ConfigureAwait(false) ?? string.Empty;
        await _workspace.WriteTextAsync(DeepResearchFiles.Index, TopicIndex.Merge(index, results), CancellationToken.None).ConfigureAwait(false);
        await _workspace.AppendTextAsync(DeepResearchFiles.KnowledgeBaseLog, log.ToString().TrimEnd('\n'), CancellationToken.None).ConfigureAwait(false);
        await checkpoint().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var done = runs.Where(r => r.Status == TaskStatus.RanToCompletion).Select(r => r.Result).ToList();
        var stopped = _budget.IsExhausted || (done.Count == topics.Count && done.All(r => r.BudgetStopped));
        return new RoundRun(string.Join("\n", done.Select(r => r.FinalText)), done.Sum(r => r.ModelCalls), stopped);
    }

    /// <summary>
    /// Holds <see cref="DeepResearchOptions.WriterShare"/> of the token and money limits (of what remains, on resume) as one
    /// reservation on the tracker, so the Context Builder cannot spend it; disposing gives it to the Report Writer.
    /// </summary>
    /// <returns>The hold, or <see langword="null"/> when nothing is held (no such limits, or nothing left).</returns>
    private BudgetModelReservation? HoldWriterShare()
    {
        var share = (decimal)_options.WriterShare;
        var limits = _budget.Options;
        if (share <= 0 || (limits.MaxInputTokens is null && limits.MaxOutputTokens is null && limits.MaxCostUsd is null))
        {
            return null;
        }

        var snapshot = _budget.GetSnapshot();
        var model = _options.ChatOptions?.ModelId;
        var price = limits.Pricing.GetModelPrice(model);
        long input = limits.MaxInputTokens is { } maxIn ? (long)Math.Ceiling(maxIn * share) : 0;
        input = Math.Min(input, Math.Max(0, (limits.MaxInputTokens ?? long.MaxValue) - snapshot.InputTokens));
        long output = limits.MaxOutputTokens is { } maxOut ? (long)Math.Ceiling(maxOut * share) : long.MaxValue;
        if (limits.MaxCostUsd is { } maxCost && price.OutputPerMillionTokens > 0)
        {
            // Hold the money share as output tokens at the model's output price (input tokens already held are paid first).
            var money = (maxCost * share) - price.Cost(input, 0, 0);
            output = Math.Min(output, money <= 0 ? 0 : (long)Math.Ceiling(money / price.OutputPerMillionTokens * 1_000_000m));
        }
        else if (limits.MaxOutputTokens is null)
        {
            output = 0;
        }

        if (input == 0 && output == 0)
        {
            return null;
        }

        var hold = _budget.TryReserveModelCall(input, (int)Math.Clamp(output, 1, int.MaxValue), model);
        if (!hold.Granted)
        {
            _logger.LogInformation("No share could be held back for the Report Writer: {Reason}", hold.DeniedReason);
            return null;
        }

        _logger.LogInformation("Held back for the Report Writer: {Input} input and {Output} output tokens (${Cost}).", hold.PromptTokens, hold.ReservedOutputTokens, hold.ReservedCostUsd);
        return hold;
    }

    private async Task StartRoundAsync(string logFile, int round, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await _workspace.AppendTextAsync(logFile, $"# Round {round}\nstarted: {started}", cancellationToken).ConfigureAwait(false);
    }

    private async Task NoteExhaustionAsync(CancellationToken cancellationToken)
    {
        var reasons = string.Join("; ", _budget.GetSnapshot().ExhaustedReasons);
        await _workspace.AppendTextAsync(
            DeepResearchFiles.KnowledgeBaseLog,
            $"Budget exhausted ({reasons}); the Context Builder stopped and the report is written from what exists.",
            cancellationToken).ConfigureAwait(false);
    }

    private Task<string?> ReadAsync(string file, CancellationToken cancellationToken) => _workspace.TryReadTextAsync(file, cancellationToken);
}
