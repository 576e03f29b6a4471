using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Agents.Planners.Runs;
using Agents.Planners.Runs.Events;

namespace Agents.AgentFramework;

/// <summary>
/// One of our agents (<see cref="Agents.Planners.Bats.BatsAgent"/>, <see cref="Agents.Planners.ReAct.ReActAgent"/>, a
/// test-time-scaling strategy, any <see cref="AgentRunner"/>) as a Microsoft Agent Framework <see cref="AIAgent"/>.
/// </summary>
/// <remarks>
/// <para><see cref="AIAgent.RunAsync(string, AgentSession, AgentRunOptions, CancellationToken)"/> answers the last user
/// message: the response's message holds the answer with its citations as <see cref="CitationAnnotation"/>s, its
/// <see cref="AgentResponse.Usage"/> the run's tokens, and its <see cref="AgentResponse.AdditionalProperties"/> the
/// status, confidence, cost, budget snapshot and the whole <see cref="AgentRunResult"/> (keys in <see cref="PlannerAgentKeys"/>).</para>
/// <para>Streaming yields one update per step (plan, model reply, tool call and result, verification, budget) with the
/// step's <see cref="AgentRunEvent"/> under <see cref="PlannerAgentKeys.Event"/>, then the answer.</para>
/// <para>The session keeps the conversation's earlier questions and answers (given to the next run as context) and
/// the budget's spend; it serializes with <see cref="AIAgent.SerializeSessionAsync"/>, and a session deserialized in
/// a fresh process restores its spend into this agent's tracker before its first run there, so the budget carries
/// over. The runner charges its own tracker: do not add <c>UseBudgetTracker</c> middleware around this agent.</para>
/// </remarks>
public sealed class PlannerAIAgent : AIAgent
{
    private const string TurnsKey = "agents.planner.turns";
    private readonly AgentRunner _runner;
    private readonly string? _description;
    private readonly ConditionalWeakTable<AgentSession, object> _known = [];

    /// <summary>Wraps a runner.</summary>
    /// <param name="runner">The runner; one instance serves many sessions.</param>
    /// <param name="description">The agent's description; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="runner"/> is null.</exception>
    public PlannerAIAgent(AgentRunner runner, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _description = description;
    }

    /// <inheritdoc/>
    public override string? Name => _runner.Name;

    /// <inheritdoc/>
    public override string? Description => _description;

    /// <summary>Gets the wrapped runner.</summary>
    public AgentRunner Runner => _runner;

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType.IsInstanceOfType(_runner))
        {
            return _runner;
        }

        return serviceKey is null && serviceType == typeof(BudgetTracker) ? _runner.Tracker : base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc/>
    protected override ValueTask<AgentSession> CreateSessionCoreAsync(CancellationToken cancellationToken = default)
    {
        var session = new PlannerAgentSession();
        _known.AddOrUpdate(session, this);
        return ValueTask.FromResult<AgentSession>(session);
    }

    /// <inheritdoc/>
    protected override ValueTask<JsonElement> SerializeSessionCoreAsync(AgentSession session, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return ValueTask.FromResult(session.StateBag.Serialize());
    }

    /// <inheritdoc/>
    protected override ValueTask<AgentSession> DeserializeSessionCoreAsync(JsonElement serializedState, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<AgentSession>(new PlannerAgentSession(AgentSessionStateBag.Deserialize(serializedState)));

    /// <inheritdoc/>
    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        session ??= await CreateSessionAsync(cancellationToken).ConfigureAwait(false);
        AgentRunRequest request = Begin(messages, session);
        AgentRunResult result = await _runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        ChatMessage answer = End(session, result);
        var response = new AgentResponse(answer)
        {
            AgentId = Id,
            ResponseId = result.RunId,
            FinishReason = result.Status == AgentRunStatus.BudgetExhausted ? ChatFinishReason.Length : ChatFinishReason.Stop,
            Usage = Usage(result.Cost),
            AdditionalProperties = Properties(result),
        };
        return response;
    }

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(
        IEnumerable<ChatMessage> messages,
        AgentSession? session = null,
        AgentRunOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        session ??= await CreateSessionAsync(cancellationToken).ConfigureAwait(false);
        AgentRunRequest begun = Begin(messages, session);
        var request = new AgentRunRequest(begun.Question) { Context = begun.Context, StreamAnswer = true };
        int step = 0;
        await foreach (AgentRunEvent runEvent in _runner.RunStreamingAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (runEvent is RunCompletedEvent { ParentRunId: null } completed)
            {
                AgentRunResult result = completed.Result;
                ChatMessage answer = End(session, result);
                AdditionalPropertiesDictionary properties = Properties(result);
                properties[PlannerAgentKeys.Event] = runEvent;
                yield return new AgentResponseUpdate(ChatRole.Assistant, [.. answer.Contents, new UsageContent(Usage(result.Cost))])
                {
                    AgentId = Id,
                    AuthorName = Name,
                    ResponseId = result.RunId,
                    MessageId = answer.MessageId,
                    FinishReason = result.Status == AgentRunStatus.BudgetExhausted ? ChatFinishReason.Length : ChatFinishReason.Stop,
                    AdditionalProperties = properties,
                };
                continue;
            }

            foreach ((ChatRole role, AIContent content) in Render(runEvent))
            {
                yield return new AgentResponseUpdate(role, [content])
                {
                    AgentId = Id,
                    AuthorName = Name,
                    ResponseId = runEvent.RunId,
                    MessageId = string.Create(CultureInfo.InvariantCulture, $"{runEvent.RunId}-{step++}"),
                    AdditionalProperties = new() { [PlannerAgentKeys.Event] = runEvent },
                };
            }
        }
    }

    private static IEnumerable<(ChatRole Role, AIContent Content)> Render(AgentRunEvent runEvent)
    {
        switch (runEvent)
        {
            case RunStartedEvent started:
                yield return (ChatRole.Assistant, new TextReasoningContent($"Run {started.RunId} ({started.AgentName}) started: {started.Question}"));
                break;
            case AttemptStartedEvent attempt:
                yield return (ChatRole.Assistant, new TextReasoningContent($"Attempt {attempt.Attempt}"));
                break;
            case PlanUpdatedEvent plan:
                yield return (ChatRole.Assistant, new TextReasoningContent("Plan:\n" + plan.Plan));
                break;
            case AnswerDeltaEvent delta:
                yield return (ChatRole.Assistant, new TextReasoningContent(delta.Text) { AdditionalProperties = new() { ["purpose"] = delta.Purpose, ["delta"] = true } });
                break;
            case ModelRespondedEvent model:
                yield return (ChatRole.Assistant, new TextReasoningContent(model.Text) { AdditionalProperties = new() { ["purpose"] = model.Purpose } });
                break;
            case ToolCalledEvent called:
                ToolCallRecord call = called.Call;
                yield return (ChatRole.Assistant, new FunctionCallContent(call.CallId, call.Name, new Dictionary<string, object?>(call.Arguments)) { InformationalOnly = true });
                yield return (ChatRole.Tool, new FunctionResultContent(call.CallId, call.Result));
                break;
            case AnswerProposedEvent proposed:
                yield return (ChatRole.Assistant, new TextReasoningContent($"Proposed answer (attempt {proposed.Attempt}): {proposed.Answer}"));
                break;
            case VerificationCompletedEvent verified:
                yield return (ChatRole.Assistant, new TextReasoningContent($"Verification: {verified.Report.Decision}. {verified.Report.Justification}".Trim()));
                break;
            case BudgetChangedEvent budget:
                yield return (ChatRole.Assistant, new TextReasoningContent("Budget: " + budget.Snapshot));
                break;
            case RunCompletedEvent sub:
                yield return (ChatRole.Assistant, new TextReasoningContent($"Sub-run {sub.RunId} ({sub.AgentName}) {sub.Result.Status}: {sub.Result.Answer ?? sub.Result.StatusReason}"));
                break;
        }
    }

    private static UsageDetails Usage(AgentRunCost cost) => new()
    {
        InputTokenCount = cost.InputTokens,
        OutputTokenCount = cost.OutputTokens,
        TotalTokenCount = cost.InputTokens + cost.OutputTokens,
        CachedInputTokenCount = cost.CachedInputTokens,
    };

    private AdditionalPropertiesDictionary Properties(AgentRunResult result) => new()
    {
        [PlannerAgentKeys.Result] = result,
        [PlannerAgentKeys.Status] = result.Status.ToString(),
        [PlannerAgentKeys.Confidence] = result.Confidence,
        [PlannerAgentKeys.Cost] = result.Cost,
        [BudgetAgentKeys.Snapshot] = _runner.Tracker.GetSnapshot(),
    };

    /// <summary>Restores a resumed session's spend once, and builds the request from the messages and earlier turns.</summary>
    private AgentRunRequest Begin(IEnumerable<ChatMessage> messages, AgentSession session)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> list = [.. messages];
        string question = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text is { Length: > 0 } user
            ? user
            : string.Join("\n", list.Select(m => m.Text).Where(t => t.Length > 0));
        if (string.IsNullOrWhiteSpace(question))
        {
            throw new ArgumentException("The run needs a question: give a user message with text.", nameof(messages));
        }

        if (!_known.TryGetValue(session, out _))
        {
            _known.AddOrUpdate(session, this);
            if (session.StateBag.TryGetValue(BudgetAgentKeys.SessionSpend, out BudgetSpend? spend, BudgetAgent.StateJson) && spend is not null)
            {
                _runner.Tracker.RestoreSpend(spend);
            }
        }

        List<PlannerTurn> turns = Turns(session);
        if (turns.Count == 0)
        {
            return new AgentRunRequest(question);
        }

        var context = new StringBuilder("Earlier in this conversation:");
        foreach (PlannerTurn turn in turns)
        {
            context.Append("\nQ: ").Append(turn.Question).Append("\nA: ").Append(turn.Answer);
        }

        return new AgentRunRequest(question) { Context = context.ToString() };
    }

    /// <summary>Stores the turn and the spend in the session, and returns the answer message.</summary>
    private ChatMessage End(AgentSession session, AgentRunResult result)
    {
        string text = string.IsNullOrWhiteSpace(result.Answer) ? $"No answer: {result.StatusReason}" : result.Answer;
        List<PlannerTurn> turns = Turns(session);
        turns.Add(new PlannerTurn(result.Question, text));
        session.StateBag.SetValue(TurnsKey, turns, BudgetAgent.StateJson);
        session.StateBag.SetValue(BudgetAgentKeys.SessionSpend, _runner.Tracker.GetSpend(), BudgetAgent.StateJson);
        var content = new TextContent(text) { Annotations = string.IsNullOrWhiteSpace(result.Answer) ? null : CitationFinder.Find(text, result.Trajectory) };
        return new ChatMessage(ChatRole.Assistant, [content])
        {
            AuthorName = Name,
            MessageId = result.RunId,
        };
    }

    private static List<PlannerTurn> Turns(AgentSession session) =>
        session.StateBag.TryGetValue(TurnsKey, out List<PlannerTurn>? turns, BudgetAgent.StateJson) && turns is not null ? turns : [];
}
