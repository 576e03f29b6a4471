using System.Text;
using System.Text.RegularExpressions;
using Agents.Planners.Grading;
using Agents.Planners.Runs.Events;
using Microsoft.SemanticKernel;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using TextContent = Microsoft.Extensions.AI.TextContent;

namespace Agents.Planners.Bats;

/// <summary>
/// BATS (Budget-Aware Test-time Scaling): plan, act with budget awareness, self-verify each proposed answer,
/// then dig deeper (CONTINUE) or change direction (PIVOT) on the shared remaining budget; a judge chooses among
/// verified answers.
/// </summary>
/// <remarks>
/// <para>Planning splits the question into exploration and verification constraints and writes a checklist plan
/// (<see cref="PlanChecklist"/>) that stays in context and is updated from the model's <c>&lt;plan_update&gt;</c>
/// blocks; tool units are logged against the active step; steps are never deleted.</para>
/// <para>Each proposed answer is verified with strict JSON (<see cref="VerificationReport"/>); invalid JSON gets one
/// repair request, then <see cref="BatsOptions.FallbackDecision"/>. On CONTINUE or PIVOT the verifier's summary
/// replaces the raw trajectory; only the latest tool result stays; after <see cref="BatsOptions.SummarizeAfterIterations"/>
/// steps older reasoning is dropped in favour of the plan and the summaries.</para>
/// <para>Tools are charged by this agent on the shared tracker; do not also add the tracker's middleware to the client.</para>
/// </remarks>
public sealed partial class BatsAgent : AgentRunner
{
    private const string OmittedToolResult = "[older tool result removed from context; its findings are in the plan and notes]";
    private const int MaxNotes = 6;

    private readonly BatsOptions _options;
    private readonly ToolLoop _loop;

    /// <summary>Creates the agent.</summary>
    /// <param name="chatClient">The model (a plain client: this agent runs the tool loop itself).</param>
    /// <param name="tools">The tools.</param>
    /// <param name="tracker">The shared budget.</param>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">Options or tools are invalid (the message names the option).</exception>
    public BatsAgent(
        IChatClient chatClient,
        IEnumerable<AITool> tools,
        BudgetTracker tracker,
        BatsOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : base(tracker, timeProvider, loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _options = options ?? new BatsOptions();
        _options.Validate();
        _loop = new ToolLoop(chatClient, tools, nameof(tools), tracker, _options);
    }

    /// <summary>Creates the agent with the functions of a Semantic Kernel's plugins as tools.</summary>
    /// <param name="chatClient">The model.</param>
    /// <param name="kernel">The kernel whose plugins become tools.</param>
    /// <param name="tracker">The shared budget.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">Options are invalid.</exception>
    public BatsAgent(
        IChatClient chatClient,
        Kernel kernel,
        BudgetTracker tracker,
        BatsOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(chatClient, KernelTools.From(kernel), tracker, options, timeProvider, loggerFactory)
    {
    }

    /// <inheritdoc />
    public override string Name => "bats";

    /// <inheritdoc />
    protected override async Task<AgentRunResult> ExecuteAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        if (Tracker.IsExhausted)
        {
            return context.CreateResult(AgentRunStatus.BudgetExhausted, null, null, "The budget was already spent before the run started.");
        }

        BatsPlanReply planned = await PlanAsync(context, cancellationToken).ConfigureAwait(false);
        var run = new RunState(planned);
        context.Emit(new PlanUpdatedEvent(run.Plan.Render()));
        context.Emit(new AttemptStartedEvent(run.Attempt));
        context.RecordMessage(new ChatMessage(ChatRole.System, ActSystem(run)));

        bool exhausted = false;
        string? denied = null;
        string endReason = string.Empty;
        while (true)
        {
            if (Tracker.IsExhausted || context.IsRunBudgetExhausted)
            {
                exhausted = true;
                break;
            }

            if (run.IterationsInAttempt >= _options.MaxIterationsPerAttempt)
            {
                run.AddNote($"Attempt {run.Attempt} reached its step limit ({_options.MaxIterationsPerAttempt}) without a verified answer.");
                FailActiveStep(context, run);
                if (!StartNextAttempt(context, run))
                {
                    endReason = $"All {_options.MaxAttempts} attempts were used (BatsOptions.MaxAttempts).";
                    break;
                }

                continue;
            }

            run.IterationsInAttempt++;
            CondenseIfLong(run);
            List<ChatMessage> messages = BuildContext(context, run);
            ChatResponse response;
            try
            {
                response = await _loop.CallAsync(context, messages, "act", cancellationToken, withTools: true).ConfigureAwait(false);
            }
            catch (ModelCallDeniedException ex)
            {
                (exhausted, denied) = (true, ex.Message);
                break;
            }

            ApplyPlanUpdate(context, run, response.Text);

            List<FunctionCallContent> calls = ToolLoop.ToolCalls(response);
            if (calls.Count > 0)
            {
                bool stop = await RunToolsAsync(context, run, response, calls, cancellationToken).ConfigureAwait(false);
                if (stop)
                {
                    exhausted = true;
                    break;
                }

                continue;
            }

            string? answer = AnswerExtractor.TaggedAnswer(response.Text);
            if (answer is null)
            {
                var nudge = new ChatMessage(ChatRole.User, _options.Prompts.Nudge);
                context.RecordMessage(nudge);
                run.Exchanges.Add([.. response.Messages, nudge]);
                continue;
            }

            context.Emit(new AnswerProposedEvent(answer, run.Attempt));
            VerificationReport report;
            try
            {
                report = AnswerNormalizer.IsNoAnswer(answer)
                    ? new VerificationReport
                    {
                        Answer = answer,
                        Decision = VerificationDecision.Pivot,
                        Justification = "The attempt ended without a candidate answer.",
                        TrajectorySummary = run.LastSummary,
                    }
                    : await VerifyAsync(context, run, answer, cancellationToken).ConfigureAwait(false);
            }
            catch (ModelCallDeniedException ex)
            {
                // The budget has no room to verify: the proposed answer is kept, unverified.
                run.Unverified.Add(answer);
                (exhausted, denied) = (true, ex.Message);
                break;
            }

            context.Emit(new VerificationCompletedEvent(report, run.Attempt));

            if (!HandleDecision(context, run, report, out endReason))
            {
                break;
            }
        }

        // With reservations (no budget layer in the client) the final answer is tried: it may use the final-answer reserve.
        if (exhausted && run.Verified.Count == 0 && run.Unverified.Count == 0 && _loop.TriesFinalAnswer(context, denied))
        {
            denied = await FinalAnswerWithoutToolsAsync(context, run, cancellationToken).ConfigureAwait(false) ?? denied;
        }

        if (exhausted)
        {
            endReason = _loop.StopReason(context, denied);
        }

        return await FinishAsync(context, run, exhausted, endReason, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BatsPlanReply> PlanAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        BatsPrompts prompts = _options.Prompts;
        ChatMessage[] messages =
        [
            ModelInvoker.Log(context, new ChatMessage(ChatRole.System, prompts.PlanningSystem)),
            ModelInvoker.Log(context, new ChatMessage(ChatRole.User, PromptTemplate.Render(
                prompts.PlanningUser, ("question", context.Request.Question), ("budget", Tracker.FormatBudgetBlock())))),
        ];
        ChatResponse response = await _loop.CallAsync(context, messages, "plan", cancellationToken).ConfigureAwait(false);
        return BatsPlanReply.Parse(response.Text, context.Request.Question);
    }

    private async Task<bool> RunToolsAsync(
        AgentRunContext context, RunState run, ChatResponse response, List<FunctionCallContent> calls, CancellationToken cancellationToken)
    {
        var exchange = new List<ChatMessage>(response.Messages);
        var latest = new StringBuilder();
        bool stop = false;
        long spent = 0;
        foreach (FunctionCallContent call in calls)
        {
            ToolOutcome outcome = await _loop.Tools.InvokeAsync(call, appendBudgetBlock: true, cancellationToken).ConfigureAwait(false);
            var toolMessage = new ChatMessage(ChatRole.Tool, [outcome.Content]);
            context.RecordMessage(toolMessage);
            context.RecordToolCall(outcome.Record);
            exchange.Add(toolMessage);
            latest.Append(call.Name).Append(": ").AppendLine(outcome.Record.Result);
            spent += outcome.Record.Units;
            stop |= outcome.BudgetStop;
        }

        run.Exchanges.Add(exchange);
        run.LatestToolResult = latest.ToString();
        if (spent > 0 && run.Plan.ActiveStepId is string active)
        {
            run.Plan.AddSpent(active, spent);
            context.Emit(new PlanUpdatedEvent(run.Plan.Render()));
        }

        return stop;
    }

    private bool HandleDecision(AgentRunContext context, RunState run, VerificationReport report, out string endReason)
    {
        endReason = string.Empty;
        run.LastSummary = report.TrajectorySummary.Length > 0 ? report.TrajectorySummary : run.LastSummary;
        run.AddNote(Note(run.Attempt, report));
        switch (report.Decision)
        {
            case VerificationDecision.Success:
                run.Verified.Add(report);
                if (run.Plan.ActiveStepId is string done)
                {
                    run.Plan.SetStatus(done, PlanStepStatus.Done);
                    context.Emit(new PlanUpdatedEvent(run.Plan.Render()));
                }

                if (_options.Mode == BatsMode.EarlyStop)
                {
                    endReason = "The verifier accepted an answer (early-stop mode).";
                    return false;
                }

                if (!StartNextAttempt(context, run))
                {
                    endReason = $"All {_options.MaxAttempts} attempts were used (full mode).";
                    return false;
                }

                return true;

            case VerificationDecision.Continue:
                run.Unverified.Add(report.Answer);
                run.Exchanges.Clear();
                return true;

            default:
                if (!AnswerNormalizer.IsNoAnswer(report.Answer))
                {
                    run.Unverified.Add(report.Answer);
                }

                FailActiveStep(context, run);
                if (!StartNextAttempt(context, run))
                {
                    endReason = $"All {_options.MaxAttempts} attempts were used (BatsOptions.MaxAttempts).";
                    return false;
                }

                return true;
        }
    }

    private bool StartNextAttempt(AgentRunContext context, RunState run)
    {
        if (run.Attempt >= _options.MaxAttempts)
        {
            return false;
        }

        run.Attempt++;
        run.IterationsInAttempt = 0;
        run.Exchanges.Clear();
        context.Emit(new AttemptStartedEvent(run.Attempt));
        return true;
    }

    private static void FailActiveStep(AgentRunContext context, RunState run)
    {
        if (run.Plan.ActiveStepId is string active)
        {
            run.Plan.SetStatus(active, PlanStepStatus.Failed);
            context.Emit(new PlanUpdatedEvent(run.Plan.Render()));
        }
    }

    private void CondenseIfLong(RunState run)
    {
        int k = _options.SummarizeAfterIterations;
        if (k > 0 && run.Exchanges.Count > k)
        {
            run.Exchanges.RemoveRange(0, run.Exchanges.Count - 1);
            run.AddNote("Earlier steps of this attempt were condensed; the plan records what they did."
                + (run.LastSummary.Length > 0 ? " Latest summary: " + run.LastSummary : string.Empty));
        }
    }

    private List<ChatMessage> BuildContext(AgentRunContext context, RunState run)
    {
        BatsPrompts prompts = _options.Prompts;
        var notes = new StringBuilder();
        if (run.Notes.Count > 0)
        {
            notes.AppendLine("Notes from earlier work:");
            foreach (string note in run.Notes)
            {
                notes.Append("- ").AppendLine(note);
            }
        }

        if (run.Exchanges.Count == 0 && run.LatestToolResult is not null)
        {
            notes.AppendLine("Latest tool result:").AppendLine(run.LatestToolResult);
        }

        var state = new ChatMessage(ChatRole.User, PromptTemplate.Render(
            prompts.ActState,
            ("question", context.Request.Question),
            ("context", context.Request.Context),
            ("plan", run.Plan.Render()),
            ("budget", Tracker.FormatBudgetBlock()),
            ("notes", notes.ToString())).Trim());
        context.RecordMessage(state);

        var messages = new List<ChatMessage> { new(ChatRole.System, ActSystem(run)), state };
        for (int i = 0; i < run.Exchanges.Count; i++)
        {
            bool latest = i == run.Exchanges.Count - 1;
            foreach (ChatMessage message in run.Exchanges[i])
            {
                messages.Add(latest || message.Role != ChatRole.Tool ? message : OmitToolResults(message));
            }
        }

        return messages;
    }

    private string ActSystem(RunState run) => PromptTemplate.Render(
        _options.Prompts.ActSystem,
        ("guideline", Tracker.FormatGuideline()),
        ("exploration", Bullets(run.Exploration)),
        ("verification", Bullets(run.Verification))).Trim();

    private static ChatMessage OmitToolResults(ChatMessage message)
    {
        var contents = new List<AIContent>();
        foreach (AIContent content in message.Contents)
        {
            contents.Add(content is FunctionResultContent result ? new FunctionResultContent(result.CallId, OmittedToolResult) : content);
        }

        return new ChatMessage(message.Role, contents);
    }

    private static void ApplyPlanUpdate(AgentRunContext context, RunState run, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        foreach (Match m in PlanUpdateBlock().Matches(text))
        {
            if (run.Plan.ApplyUpdate(m.Groups[1].Value) > 0)
            {
                context.Emit(new PlanUpdatedEvent(run.Plan.Render()));
            }
        }
    }

    private async Task<VerificationReport> VerifyAsync(AgentRunContext context, RunState run, string answer, CancellationToken cancellationToken)
    {
        BatsPrompts prompts = _options.Prompts;
        var messages = new List<ChatMessage>
        {
            ModelInvoker.Log(context, new ChatMessage(ChatRole.System, prompts.VerifySystem)),
            ModelInvoker.Log(context, new ChatMessage(ChatRole.User, PromptTemplate.Render(
                prompts.VerifyUser,
                ("question", context.Request.Question),
                ("exploration", Bullets(run.Exploration)),
                ("verification", Bullets(run.Verification)),
                ("plan", run.Plan.Render()),
                ("trajectory", RenderTrajectory(run)),
                ("answer", answer),
                ("budget", Tracker.FormatBudgetBlock())))),
        };

        ChatResponse response = await _loop.CallAsync(context, messages, "verify", cancellationToken, responseFormat: StructuredOutput.Verification).ConfigureAwait(false);
        if (VerificationParser.TryParse(response.Text, answer, out VerificationReport? report, out string error))
        {
            return report;
        }

        Logger.LogWarning("Verifier reply was invalid ({Error}); asking once for a repair.", error);
        messages.AddRange(response.Messages);
        messages.Add(ModelInvoker.Log(context, new ChatMessage(ChatRole.User, PromptTemplate.Render(prompts.Repair, ("error", error)))));
        ChatResponse repaired = await _loop.CallAsync(context, messages, "verify-repair", cancellationToken, responseFormat: StructuredOutput.Verification).ConfigureAwait(false);
        if (VerificationParser.TryParse(repaired.Text, answer, out report, out string secondError))
        {
            return report;
        }

        Logger.LogWarning("Verifier reply was still invalid ({Error}); using the fallback decision {Decision}.", secondError, _options.FallbackDecision);
        return new VerificationReport
        {
            Answer = answer,
            Decision = _options.FallbackDecision,
            Justification = $"The verifier's reply was not valid JSON twice ({secondError}); the answer stays unverified.",
            TrajectorySummary = run.LastSummary,
            IsFallback = true,
        };
    }

    private string RenderTrajectory(RunState run)
    {
        var builder = new StringBuilder();
        foreach (string note in run.Notes)
        {
            builder.Append("[note] ").AppendLine(note);
        }

        if (run.Exchanges.Count == 0 && run.LatestToolResult is not null)
        {
            builder.Append("[latest tool result] ").AppendLine(Cut(run.LatestToolResult));
        }

        foreach (ChatMessage message in run.Exchanges.SelectMany(e => e))
        {
            foreach (AIContent content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text when !string.IsNullOrWhiteSpace(text.Text):
                        builder.Append('[').Append(message.Role.Value).Append("] ").AppendLine(Cut(text.Text));
                        break;
                    case FunctionCallContent call:
                        builder.Append("[tool call] ").Append(call.Name).Append(' ')
                            .AppendLine(JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions));
                        break;
                    case FunctionResultContent result:
                        builder.Append("[tool result] ").AppendLine(Cut(result.Result?.ToString() ?? string.Empty));
                        break;
                }
            }
        }

        return builder.Length == 0 ? "(no steps)" : builder.ToString();
    }

    /// <returns>Why the final answer was not made, or <see langword="null"/> when it was.</returns>
    private async Task<string?> FinalAnswerWithoutToolsAsync(AgentRunContext context, RunState run, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages = BuildContext(context, run);
        messages.Add(ModelInvoker.Log(context, new ChatMessage(ChatRole.User, _options.Prompts.FinalAnswer)));
        ChatResponse response;
        try
        {
            response = await _loop.CallAsync(context, messages, "final-answer", cancellationToken, finalAnswer: true).ConfigureAwait(false);
        }
        catch (ModelCallDeniedException ex)
        {
            return ex.Message;
        }

        string? answer = AnswerExtractor.AnswerOrText(response.Text);
        if (!AnswerNormalizer.IsNoAnswer(answer))
        {
            run.Unverified.Add(answer!);
        }

        return null;
    }

    private async Task<AgentRunResult> FinishAsync(AgentRunContext context, RunState run, bool exhausted, string endReason, CancellationToken cancellationToken)
    {
        List<VerificationReport> verified = [.. run.Verified.Where(r => !AnswerNormalizer.IsNoAnswer(r.Answer))];
        if (verified.Count == 0)
        {
            string? fallback = run.Unverified.LastOrDefault();
            AgentRunStatus status = exhausted ? AgentRunStatus.BudgetExhausted : AgentRunStatus.GaveUp;
            string reason = endReason + (fallback is null ? " No answer was proposed." : " No answer passed verification; the last proposed answer is returned unverified.");
            return context.CreateResult(status, fallback, fallback is null ? null : 0.0, reason.Trim());
        }

        var groups = verified
            .GroupBy(r => AnswerNormalizer.Normalize(r.Answer), StringComparer.Ordinal)
            .Select(g => (Report: g.First(), Count: g.Count()))
            .ToList();
        if (groups.Count == 1)
        {
            VerificationReport only = groups[0].Report;
            return context.CreateResult(AgentRunStatus.Answered, only.Answer, SatisfiedShare(only), endReason);
        }

        (string answer, double confidence, string how) = await JudgeAsync(context, groups, cancellationToken).ConfigureAwait(false);
        return context.CreateResult(AgentRunStatus.Answered, answer, confidence, $"{endReason} {how}".Trim());
    }

    private async Task<(string Answer, double Confidence, string How)> JudgeAsync(
        AgentRunContext context, List<(VerificationReport Report, int Count)> groups, CancellationToken cancellationToken)
    {
        BatsPrompts prompts = _options.Prompts;
        var candidates = new StringBuilder();
        for (int i = 0; i < groups.Count; i++)
        {
            (VerificationReport report, int count) = groups[i];
            candidates.Append(i + 1).Append(". ").Append(report.Answer)
                .Append(" (verified by ").Append(count).Append(count == 1 ? " attempt" : " attempts").Append("). Evidence: ")
                .AppendLine(Cut(report.Justification + " " + report.TrajectorySummary));
        }

        ChatMessage[] messages =
        [
            ModelInvoker.Log(context, new ChatMessage(ChatRole.System, _options.JudgeMode == BatsJudgeMode.MajorityVote ? prompts.JudgeMajority : prompts.JudgeBestOfN)),
            ModelInvoker.Log(context, new ChatMessage(ChatRole.User, PromptTemplate.Render(
                prompts.JudgeUser, ("question", context.Request.Question), ("candidates", candidates.ToString())))),
        ];
        ChatResponse response;
        try
        {
            response = await _loop.CallAsync(context, messages, "judge", cancellationToken, responseFormat: StructuredOutput.Judge, finalAnswer: true).ConfigureAwait(false);
        }
        catch (ModelCallDeniedException)
        {
            response = new ChatResponse();
        }

        if (JsonReply.TryParseObject(response.Text, out JsonDocument? document, out _))
        {
            using (document)
            {
                double? choice = JsonReply.GetDouble(document.RootElement, "choice");
                if (choice is double c && c == Math.Floor(c) && c >= 1 && c <= groups.Count)
                {
                    VerificationReport chosen = groups[(int)c - 1].Report;
                    double confidence = JsonReply.GetDouble(document.RootElement, "confidence") ?? SatisfiedShare(chosen);
                    return (chosen.Answer, Math.Clamp(confidence, 0, 1), "The judge chose among " + groups.Count.ToString(CultureInfo.InvariantCulture) + " verified answers.");
                }
            }
        }

        MajorityVoteResult vote = MajorityVote.Elect(
            groups.SelectMany(g => Enumerable.Repeat(g.Report.Answer, g.Count)), MajorityVoteTieBreak.MostSpecific)!;
        return (vote.Answer, vote.Share, "The judge's reply was unusable; majority vote over verified answers decided.");
    }

    private static double SatisfiedShare(VerificationReport report)
        => report.Checks.Count == 0 ? 1.0 : (double)report.Checks.Count(c => c.Status == ConstraintStatus.Satisfied) / report.Checks.Count;

    private static string Note(int attempt, VerificationReport report)
    {
        var note = new StringBuilder();
        note.Append("Attempt ").Append(attempt).Append(": answer '").Append(report.Answer).Append("' -> ")
            .Append(report.Decision.ToString().ToUpperInvariant()).Append('.');
        AppendIf(note, " Summary: ", report.TrajectorySummary);
        AppendIf(note, " What failed: ", report.FailureAnalysis);
        AppendIf(note, " Useful: ", report.UsefulFindings);
        AppendIf(note, " Next: ", report.Recommendations);
        AppendIf(note, " Backtrack to step ", report.BacktrackTo);
        return note.ToString();
    }

    private static void AppendIf(StringBuilder builder, string label, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            builder.Append(label).Append(text.Trim());
        }
    }

    private string Cut(string text)
        => text.Length <= _options.MaxTrajectoryStepChars ? text : string.Concat(text.AsSpan(0, _options.MaxTrajectoryStepChars), " [...]");

    private static string Bullets(IReadOnlyList<string> items)
        => items.Count == 0 ? "- (none)" : string.Join('\n', items.Select(i => "- " + i));

    [GeneratedRegex(@"<plan_update>(.*?)</plan_update>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PlanUpdateBlock();

    /// <summary>The mutable state of one BATS run.</summary>
    private sealed class RunState(BatsPlanReply planned)
    {
        public IReadOnlyList<string> Exploration { get; } = planned.Exploration;

        public IReadOnlyList<string> Verification { get; } = planned.Verification;

        public PlanChecklist Plan { get; } = planned.Plan;

        public int Attempt { get; set; } = 1;

        public int IterationsInAttempt { get; set; }

        public List<List<ChatMessage>> Exchanges { get; } = [];

        public string? LatestToolResult { get; set; }

        public string LastSummary { get; set; } = string.Empty;

        public List<string> Notes { get; } = [];

        public List<VerificationReport> Verified { get; } = [];

        public List<string> Unverified { get; } = [];

        public void AddNote(string note)
        {
            Notes.Add(note);
            if (Notes.Count > MaxNotes)
            {
                Notes.RemoveAt(0);
            }
        }
    }
}
