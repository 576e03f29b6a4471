using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Agents.AgentFramework;

/// <summary>
/// The run layer of the budget middleware: refuses or degrades a run on an exhausted budget, adds the usage-counting
/// chat-client layer, lets the model answer without tools after the function layer stopped the tool loop
/// (<see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/>), reports the spend, and keeps it in the session.
/// </summary>
internal sealed class BudgetAgent : DelegatingAIAgent
{
    private readonly BudgetTracker _tracker;
    private readonly BudgetAgentOptions _options;
    private const string PauseKey = "agents.budget.pause";
    private readonly BudgetAskState? _ask;
    private readonly ConditionalWeakTable<AgentSession, object> _known = [];

    public BudgetAgent(AIAgent innerAgent, BudgetTracker tracker, BudgetAgentOptions options, BudgetAskState? ask)
        : base(innerAgent)
    {
        _tracker = tracker;
        _options = options;
        _ask = ask;
    }

    internal static JsonSerializerOptions StateJson { get; } = CreateStateJson();

    private static JsonSerializerOptions CreateStateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        options.MakeReadOnly();
        return options;
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(BudgetTracker) ? _tracker : base.GetService(serviceType, serviceKey);

    protected override async ValueTask<AgentSession> CreateSessionCoreAsync(CancellationToken cancellationToken = default)
    {
        AgentSession session = await base.CreateSessionCoreAsync(cancellationToken).ConfigureAwait(false);
        _known.AddOrUpdate(session, this);
        return session;
    }

    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        session ??= await CreateSessionAsync(cancellationToken).ConfigureAwait(false);
        List<ChatMessage> input = [.. messages];
        bool declined = Resume(session, input);
        bool degraded = Begin(session) || declined;
        AgentResponse response = await InnerAgent.RunAsync(input, session, WithLayers(options, degraded), cancellationToken).ConfigureAwait(false);
        if (Pause(session, response.Messages.SelectMany(m => m.Contents)) is { } question)
        {
            response.Messages.Add(question);
            response.FinishReason = ChatFinishReason.ToolCalls;
        }
        else if (!degraded && NeedsFinalAnswer(response.Messages.LastOrDefault()?.Contents))
        {
            AgentResponse final = await InnerAgent.RunAsync([], session, WithLayers(options, withoutTools: true), cancellationToken).ConfigureAwait(false);
            foreach (ChatMessage message in final.Messages)
            {
                response.Messages.Add(message);
            }

            if (final.Usage is { } usage)
            {
                if (response.Usage is null)
                {
                    response.Usage = usage;
                }
                else
                {
                    response.Usage.Add(usage);
                }
            }

            response.FinishReason = final.FinishReason;
        }

        response.AdditionalProperties ??= [];
        response.AdditionalProperties[BudgetAgentKeys.Snapshot] = End(session);
        return response;
    }

    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(
        IEnumerable<ChatMessage> messages,
        AgentSession? session = null,
        AgentRunOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        session ??= await CreateSessionAsync(cancellationToken).ConfigureAwait(false);
        List<ChatMessage> input = [.. messages];
        bool declined = Resume(session, input);
        bool degraded = Begin(session) || declined;
        IList<AIContent>? last = null;
        List<AIContent> results = [];

        // One update is held back so that the spend can be attached to the last one.
        AgentResponseUpdate? held = null;
        await foreach (AgentResponseUpdate update in InnerAgent.RunStreamingAsync(input, session, WithLayers(options, degraded), cancellationToken).ConfigureAwait(false))
        {
            if (update.Contents.Any(c => c is not UsageContent))
            {
                last = update.Contents;
            }

            results.AddRange(update.Contents.OfType<FunctionResultContent>());

            if (held is not null)
            {
                yield return held;
            }

            held = update;
        }

        if (Pause(session, results) is { } question)
        {
            if (held is not null)
            {
                yield return held;
            }

            held = new AgentResponseUpdate(ChatRole.Assistant, question.Contents) { AgentId = Id, MessageId = question.MessageId, FinishReason = ChatFinishReason.ToolCalls };
        }
        else if (!degraded && NeedsFinalAnswer(last))
        {
            await foreach (AgentResponseUpdate update in InnerAgent.RunStreamingAsync([], session, WithLayers(options, withoutTools: true), cancellationToken).ConfigureAwait(false))
            {
                if (held is not null)
                {
                    yield return held;
                }

                held = update;
            }
        }

        BudgetSnapshot snapshot = End(session);
        held ??= new AgentResponseUpdate(ChatRole.Assistant, []) { AgentId = Id };
        held.AdditionalProperties ??= [];
        held.AdditionalProperties[BudgetAgentKeys.Snapshot] = snapshot;
        yield return held;
    }

    /// <summary>
    /// Answers a pause of this session: takes the user's approval response out of the input, extends the category
    /// (approved) or tells the model to answer (declined), and records the receipt. Returns whether it was declined.
    /// </summary>
    private bool Resume(AgentSession session, List<ChatMessage> input)
    {
        if (_ask is null || !session.StateBag.TryGetValue(PauseKey, out BudgetPause? pause, StateJson) || pause is null)
        {
            return false;
        }

        ToolApprovalResponseContent? answer = null;
        for (int i = input.Count - 1; i >= 0; i--)
        {
            ChatMessage message = input[i];
            if (message.Contents.OfType<ToolApprovalResponseContent>().FirstOrDefault(r => r.RequestId == pause.RequestId) is not { } found)
            {
                continue;
            }

            answer = found;
            List<AIContent> rest = [.. message.Contents.Where(c => !ReferenceEquals(c, found))];
            if (rest.Count == 0)
            {
                input.RemoveAt(i);
            }
            else
            {
                input[i] = new ChatMessage(message.Role, rest) { AuthorName = message.AuthorName, MessageId = message.MessageId };
            }
        }

        if (answer is null)
        {
            return false;
        }

        session.StateBag.TryRemoveValue(PauseKey);
        if (answer.Approved)
        {
            long limit = _tracker.ExtendToolLimit(pause.Category, pause.Units);
            _options.Receipts?.Record(BudgetReceiptKind.Extended, pause.Category, pause.Units, string.Create(CultureInfo.InvariantCulture, $"The user granted {pause.Units} more unit(s); the limit is now {limit}."));
            input.Add(new ChatMessage(ChatRole.User, string.Create(
                CultureInfo.InvariantCulture,
                $"The user granted {pause.Units} more {pause.Category} unit(s). Continue where you stopped; repeat the refused call if you still need it.")));
            return false;
        }

        _options.Receipts?.Record(BudgetReceiptKind.Declined, pause.Category, pause.Units, answer.Reason ?? "The user declined more budget.");
        input.Add(new ChatMessage(ChatRole.User, $"The user declined more {pause.Category} budget. Do not call tools again; give your final answer now."));
        return true;
    }

    /// <summary>When the function layer refused a call of this run because its category is spent, stores the pause and returns the question.</summary>
    private ChatMessage? Pause(AgentSession session, IEnumerable<AIContent> contents)
    {
        if (_ask is null || _options.AskForMoreUnits is not int units)
        {
            return null;
        }

        (string Category, FunctionCallContent Call)? refused = null;
        foreach (FunctionResultContent result in contents.OfType<FunctionResultContent>())
        {
            if (_ask.Refused.TryRemove(result.CallId, out var found))
            {
                refused ??= found;
            }
        }

        if (refused is not { } pending)
        {
            return null;
        }

        string requestId = "budget-" + pending.Call.CallId;
        session.StateBag.SetValue(PauseKey, new BudgetPause(requestId, pending.Category, units), StateJson);
        string text = string.Create(CultureInfo.InvariantCulture, $"The {pending.Category} budget is spent; continue with {units} more?");
        return new ChatMessage(ChatRole.Assistant, [new TextContent(text), new ToolApprovalRequestContent(requestId, pending.Call)])
        {
            AuthorName = Name,
            MessageId = requestId,
        };
    }

    /// <summary>The tool loop ended on tool results (the function layer stopped it) and the tracker wants a final answer.</summary>
    private bool NeedsFinalAnswer(IEnumerable<AIContent>? lastContents) =>
        _tracker.Options.OnExhaustion == ExhaustionBehavior.FinalAnswerWithoutTools
        && lastContents is not null
        && lastContents.Any(c => c is FunctionResultContent);

    /// <summary>Restores a resumed session's spend once, then checks the budget. Returns whether the run goes without tools.</summary>
    private bool Begin(AgentSession session)
    {
        if (_options.PersistSpendInSession && !_known.TryGetValue(session, out _))
        {
            _known.AddOrUpdate(session, this);
            if (session.StateBag.TryGetValue(BudgetAgentKeys.SessionSpend, out BudgetSpend? spend, StateJson) && spend is not null)
            {
                _tracker.RestoreSpend(spend);
            }
        }

        if (!_tracker.IsExhausted)
        {
            return false;
        }

        // Asking: a spent category is asked about when the model next calls one of its tools.
        if (_ask is not null && BudgetFunctionMiddleware.OnlyCategoriesExhausted(_tracker.GetSnapshot(), out _))
        {
            return false;
        }

        if (_tracker.Options.OnExhaustion == ExhaustionBehavior.Terminate)
        {
            throw new BudgetExhaustedException(
                $"The budget is exhausted ({string.Join("; ", _tracker.GetSnapshot().ExhaustedReasons)}); the agent run is not started. " +
                "Check BudgetTracker.IsExhausted before running, or use ExhaustionBehavior.FinalAnswerWithoutTools.");
        }

        return true;
    }

    private BudgetSnapshot End(AgentSession session)
    {
        if (_options.PersistSpendInSession)
        {
            session.StateBag.SetValue(BudgetAgentKeys.SessionSpend, _tracker.GetSpend(), StateJson);
        }

        return _tracker.GetSnapshot();
    }

    /// <summary>Adds the chat-client layer (usage counting, and tool removal when the run must answer without tools).</summary>
    private AgentRunOptions? WithLayers(AgentRunOptions? options, bool withoutTools)
    {
        if (!_options.CountUsage && !withoutTools)
        {
            return options;
        }

        ChatClientAgentRunOptions run;
        if (options is null || options.GetType() == typeof(AgentRunOptions))
        {
            run = new ChatClientAgentRunOptions
            {
                ResponseFormat = options?.ResponseFormat,
                AllowBackgroundResponses = options?.AllowBackgroundResponses,
                ContinuationToken = options?.ContinuationToken,
                AdditionalProperties = options?.AdditionalProperties,
            };
        }
        else if (options is ChatClientAgentRunOptions chatRun)
        {
            run = (ChatClientAgentRunOptions)chatRun.Clone();
        }
        else
        {
            throw new NotSupportedException($"The budget middleware supports no run options, {nameof(AgentRunOptions)} or {nameof(ChatClientAgentRunOptions)}; got {options.GetType().Name}.");
        }

        Func<IChatClient, IChatClient>? original = run.ChatClientFactory;
        BudgetTracker tracker = _tracker;
        BudgetAgentOptions agentOptions = _options;
        run.ChatClientFactory = chatClient =>
        {
            ChatClientBuilder builder = chatClient.AsBuilder();
            if (original is not null)
            {
                builder.Use(original);
            }

            if (agentOptions.CountUsage && withoutTools && tracker.IsExhausted && tracker.Options.OnExhaustion == ExhaustionBehavior.Terminate)
            {
                builder.Use(inner => new UsageCountingChatClient(inner, tracker));
            }
            else if (agentOptions.CountUsage)
            {
                builder.UseBudgetTracker(tracker, o =>
                {
                    o.ChargeTools = false;
                    o.ReserveModelCalls = false;
                    o.AddGuideline = agentOptions.AddGuideline;
                });
            }

            if (withoutTools)
            {
                builder.ConfigureOptions(o =>
                {
                    o.Tools = null;
                    o.ToolMode = null;
                });
            }

            return builder.Build();
        };
        return run;
    }
}
