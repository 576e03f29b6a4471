using Agents.Planners.Runs.Events;

namespace Agents.Planners.Runs;

/// <summary>
/// The state of one run while it executes: its request, its trajectory and spend, and the event stream.
/// Agents record into it; <see cref="AgentRunner"/> turns it into the <see cref="AgentRunResult"/>, also when the
/// run is cancelled, so spend is never lost.
/// </summary>
/// <remarks>Thread-safe for recording (strategies run sub-runs in parallel).</remarks>
public sealed class AgentRunContext
{
    private readonly Lock _gate = new();
    private readonly List<ChatMessage> _messages = [];
    private readonly List<ToolCallRecord> _toolCalls = [];
    private readonly List<BudgetSnapshot> _snapshots = [];
    private readonly List<AgentRunResult> _subRuns = [];
    private readonly Action<AgentRunEvent>? _sink;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly long _started;
    private bool _structuredOutputRefused;

    internal AgentRunContext(
        AgentRunRequest request,
        string agentName,
        BudgetTracker tracker,
        string? parentRunId,
        Action<AgentRunEvent>? sink,
        TimeProvider timeProvider,
        ILogger logger)
    {
        Request = request;
        AgentName = agentName;
        Tracker = tracker;
        ParentRunId = parentRunId;
        _sink = sink;
        _timeProvider = timeProvider;
        _logger = logger;
        _started = timeProvider.GetTimestamp();
        RunId = Guid.NewGuid().ToString("N")[..12];
        Meter = new RunMeter(tracker.Options.Pricing);
    }

    /// <summary>Gets the request.</summary>
    public AgentRunRequest Request { get; }

    /// <summary>Gets the run's id.</summary>
    public string RunId { get; }

    /// <summary>Gets the id of the strategy run that started this one, if any.</summary>
    public string? ParentRunId { get; }

    /// <summary>Gets the agent or strategy name.</summary>
    public string AgentName { get; }

    /// <summary>Gets the shared budget tracker.</summary>
    public BudgetTracker Tracker { get; }

    /// <summary>Gets the output tokens this run (and its sub-runs) produced so far.</summary>
    public long OutputTokensUsed => Meter.OutputTokens;

    /// <summary>Gets a value indicating whether the run's own output-token budget (<see cref="AgentRunRequest.MaxOutputTokens"/>) is spent.</summary>
    public bool IsRunBudgetExhausted => Request.MaxOutputTokens is long max && OutputTokensUsed >= max;

    internal RunMeter Meter { get; }

    /// <summary>Gets a value indicating whether model text is streamed to the run's observer (<see cref="AgentRunRequest.StreamAnswer"/>, and someone listens).</summary>
    internal bool StreamsAnswer => Request.StreamAnswer && _sink is not null;

    /// <summary>Gets a value indicating whether the model refused a JSON-schema response format in this run (it is not asked for again).</summary>
    internal bool StructuredOutputRefused => Volatile.Read(ref _structuredOutputRefused);

    internal void NoteStructuredOutputRefused(string purpose, Exception error)
    {
        Volatile.Write(ref _structuredOutputRefused, true);
        _logger.LogWarning(error, "Run {RunId}: the model refused the JSON schema for '{Purpose}'; asking again without it, and without it from now on.", RunId, purpose);
    }

    /// <summary>Notes that a model call was not made because its worst case does not fit the budget.</summary>
    internal void NoteModelCallDenied(string purpose, string? reason)
    {
        _logger.LogInformation("Run {RunId}: the model call for '{Purpose}' was not made: {Reason}", RunId, purpose, reason);
        RecordSnapshot();
    }

    /// <summary>Notes usage a provider reported that cannot be read; it is not charged (the run goes on).</summary>
    internal void NoteUnusableUsage(UsageDetails usage) =>
        _logger.LogWarning(
            "Run {RunId}: the model reported unusable token usage (input {Input}, output {Output}, cached {Cached}); it was not charged.",
            RunId, usage.InputTokenCount, usage.OutputTokenCount, usage.CachedInputTokenCount);

    /// <summary>Raises an event on the run's stream (run id, agent name and time are filled in).</summary>
    /// <param name="runEvent">The event.</param>
    /// <exception cref="ArgumentNullException"><paramref name="runEvent"/> is null.</exception>
    /// <remarks>An observer that throws is logged and ignored; it never stops the run.</remarks>
    public void Emit(AgentRunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        if (_sink is null)
        {
            return;
        }

        AgentRunEvent stamped = runEvent with
        {
            RunId = RunId,
            ParentRunId = ParentRunId,
            AgentName = AgentName,
            Timestamp = _timeProvider.GetUtcNow(),
        };
        try
        {
            _sink(stamped);
        }
#pragma warning disable CA1031 // A faulty observer must not break the agent loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogWarning(ex, "An event observer of run {RunId} threw; the event {Event} was dropped for it.", RunId, stamped.GetType().Name);
        }
    }

    /// <summary>Adds a message to the trajectory log.</summary>
    /// <param name="message">The message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    public void RecordMessage(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            _messages.Add(message);
        }
    }

    /// <summary>Records a tool call, charges its units to this run's cost, and raises <see cref="ToolCalledEvent"/>.</summary>
    /// <param name="call">The call.</param>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is null.</exception>
    public void RecordToolCall(ToolCallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        lock (_gate)
        {
            _toolCalls.Add(call);
        }

        if (call.Executed && call.Category is not null)
        {
            Meter.AddUnits(call.Category, call.Units);
        }

        if (call.ModelSpend is { } spent)
        {
            // Model calls the tool made on the run's behalf (page summaries): already on the tracker, counted in the run's cost here.
            Meter.AddModelSpend(spent);
        }

        Emit(new ToolCalledEvent(call));
        RecordSnapshot();
    }

    /// <summary>Records a model response: usage goes to the shared tracker and to this run's cost; messages to the log.</summary>
    /// <param name="purpose">What the call was for (shown on the event).</param>
    /// <param name="response">The response.</param>
    /// <param name="modelId">The model id asked for, used for pricing when the response names none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    public void RecordModelResponse(string purpose, ChatResponse response, string? modelId) =>
        RecordModelResponse(purpose, response, modelId, charged: false);

    /// <summary>Records a model response; <paramref name="charged"/>: its usage was already committed to the tracker (a reservation).</summary>
    internal void RecordModelResponse(string purpose, ChatResponse response, string? modelId, bool charged)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? model = response.ModelId ?? modelId;
        if (response.Usage is not null && !charged)
        {
            try
            {
                // Once: a budget layer on this tracker inside the agent's chat client may have counted this response already.
                Tracker.RecordUsageOnce(response.Usage, model);
            }
            catch (ArgumentException ex)
            {
                // Malformed usage from a provider (for example negative counts) must not end the run.
                _logger.LogWarning(ex, "Run {RunId}: the model reported unusable token usage; it was not charged.", RunId);
            }
        }

        Meter.AddUsage(response.Usage, model);
        var toolNames = new List<string>();
        foreach (ChatMessage message in response.Messages)
        {
            RecordMessage(message);
            toolNames.AddRange(message.Contents.OfType<FunctionCallContent>().Select(c => c.Name));
        }

        Emit(new ModelRespondedEvent(purpose, response.Text, toolNames, response.Usage));
        RecordSnapshot();
    }

    /// <summary>Records the tracker's current state in the trajectory and raises <see cref="BudgetChangedEvent"/>.</summary>
    public void RecordSnapshot()
    {
        BudgetSnapshot snapshot = Tracker.GetSnapshot();
        lock (_gate)
        {
            _snapshots.Add(snapshot);
        }

        Emit(new BudgetChangedEvent(snapshot));
    }

    /// <summary>Runs another agent as a sub-run of this one: its events are forwarded, its result and cost are kept.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="request">The sub-run's request.</param>
    /// <param name="cancellationToken">Cancels the sub-run (it then reports <see cref="AgentRunStatus.Cancelled"/> with its spend).</param>
    /// <returns>The sub-run's result.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public async Task<AgentRunResult> RunSubAgentAsync(AgentRunner agent, AgentRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(request);
        AgentRunResult result = await agent.RunCoreAsync(request, RunId, _sink, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _subRuns.Add(result);
        }

        Meter.AddChild(result.Cost);
        return result;
    }

    /// <summary>Builds the result from what was recorded so far.</summary>
    /// <param name="status">How the run ended.</param>
    /// <param name="answer">The answer, if any.</param>
    /// <param name="confidence">Confidence from 0 to 1, if known.</param>
    /// <param name="reason">Why the run ended so.</param>
    /// <returns>The result.</returns>
    public AgentRunResult CreateResult(AgentRunStatus status, string? answer, double? confidence, string reason)
    {
        lock (_gate)
        {
            return new AgentRunResult
            {
                RunId = RunId,
                AgentName = AgentName,
                Question = Request.Question,
                Answer = answer,
                Confidence = confidence is double c ? Math.Clamp(c, 0, 1) : null,
                Status = status,
                StatusReason = reason,
                Trajectory = new AgentTrajectory([.. _messages], [.. _toolCalls], [.. _snapshots]),
                Cost = Meter.Snapshot(),
                Elapsed = _timeProvider.GetElapsedTime(_started),
                SubRuns = [.. _subRuns],
            };
        }
    }
}
