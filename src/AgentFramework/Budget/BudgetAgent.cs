using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Agents.Budget;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

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
    private readonly ConditionalWeakTable<AgentSession, object> _known = [];

    public BudgetAgent(AIAgent innerAgent, BudgetTracker tracker, BudgetAgentOptions options)
        : base(innerAgent)
    {
        _tracker = tracker;
        _options = options;
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
        bool degraded = Begin(session);
        AgentResponse response = await InnerAgent.RunAsync(messages, session, WithLayers(options, degraded), cancellationToken).ConfigureAwait(false);
        if (!degraded && NeedsFinalAnswer(response.Messages.LastOrDefault()?.Contents))
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
        bool degraded = Begin(session);
        IList<AIContent>? last = null;

        // One update is held back so that the spend can be attached to the last one.
        AgentResponseUpdate? held = null;
        await foreach (AgentResponseUpdate update in InnerAgent.RunStreamingAsync(messages, session, WithLayers(options, degraded), cancellationToken).ConfigureAwait(false))
        {
            if (update.Contents.Any(c => c is not UsageContent))
            {
                last = update.Contents;
            }

            if (held is not null)
            {
                yield return held;
            }

            held = update;
        }

        if (!degraded && NeedsFinalAnswer(last))
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

            if (agentOptions.CountUsage)
            {
                builder.UseBudgetTracker(tracker, o =>
                {
                    o.ChargeTools = false;
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
