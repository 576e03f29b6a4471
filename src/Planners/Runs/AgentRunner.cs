using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Agents.Planners.Runs.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Planners.Runs;

/// <summary>
/// The common surface of every agent and strategy: a question in, an <see cref="AgentRunResult"/> out, steps
/// streamed as <see cref="AgentRunEvent"/>s, one <see cref="BudgetTracker"/> shared by everything that runs.
/// </summary>
/// <remarks>
/// An instance keeps no per-run state, so it can run many questions, also in parallel. A run never throws for
/// what happens inside it: cancellation ends it with <see cref="AgentRunStatus.Cancelled"/> and a failure of the
/// model or a tool ends it with <see cref="AgentRunStatus.GaveUp"/> and the error in
/// <see cref="AgentRunResult.StatusReason"/>; in both cases the spend so far is reported. Bad arguments throw
/// before the run starts.
/// </remarks>
public abstract class AgentRunner
{
    /// <summary>Initializes the runner.</summary>
    /// <param name="tracker">The shared budget tracker.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tracker"/> is null.</exception>
    protected AgentRunner(BudgetTracker tracker, TimeProvider? timeProvider, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        Tracker = tracker;
        TimeProvider = timeProvider ?? TimeProvider.System;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(GetType());
    }

    /// <summary>Gets the agent's name, used on results and events (for example <c>react</c> or <c>bats</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Gets the budget tracker every run of this agent charges.</summary>
    public BudgetTracker Tracker { get; }

    /// <summary>Gets the clock.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>Gets the logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>Answers a question.</summary>
    /// <param name="question">The question.</param>
    /// <param name="cancellationToken">Cancels the run; the result then has <see cref="AgentRunStatus.Cancelled"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="question"/> is null, empty or white space.</exception>
    public Task<AgentRunResult> RunAsync(string question, CancellationToken cancellationToken = default)
        => RunAsync(new AgentRunRequest(question), onEvent: null, cancellationToken);

    /// <summary>Runs a request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the run; the result then has <see cref="AgentRunStatus.Cancelled"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<AgentRunResult> RunAsync(AgentRunRequest request, CancellationToken cancellationToken = default)
        => RunAsync(request, onEvent: null, cancellationToken);

    /// <summary>Runs a request, calling <paramref name="onEvent"/> for each step (from any thread; keep it quick).</summary>
    /// <param name="request">The request.</param>
    /// <param name="onEvent">Receives the events, <see cref="RunCompletedEvent"/> last; may be null.</param>
    /// <param name="cancellationToken">Cancels the run; the result then has <see cref="AgentRunStatus.Cancelled"/>.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<AgentRunResult> RunAsync(AgentRunRequest request, Action<AgentRunEvent>? onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunCoreAsync(request, parentRunId: null, onEvent, cancellationToken);
    }

    /// <summary>
    /// Runs a request and streams its steps; the last event is always <see cref="RunCompletedEvent"/>, also when
    /// <paramref name="cancellationToken"/> cancels the run.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The events.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public IAsyncEnumerable<AgentRunEvent> RunStreamingAsync(AgentRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamAsync(request, cancellationToken);
    }

    /// <summary>Answers a question and streams its steps.</summary>
    /// <param name="question">The question.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The events, <see cref="RunCompletedEvent"/> last.</returns>
    /// <exception cref="ArgumentException"><paramref name="question"/> is null, empty or white space.</exception>
    public IAsyncEnumerable<AgentRunEvent> RunStreamingAsync(string question, CancellationToken cancellationToken = default)
        => RunStreamingAsync(new AgentRunRequest(question), cancellationToken);

    /// <summary>Does the run. Record into <paramref name="context"/> as you go; return <see cref="AgentRunContext.CreateResult"/>.</summary>
    /// <param name="context">The run's state.</param>
    /// <param name="cancellationToken">Cancels the run; let <see cref="OperationCanceledException"/> propagate.</param>
    /// <returns>The result.</returns>
    protected abstract Task<AgentRunResult> ExecuteAsync(AgentRunContext context, CancellationToken cancellationToken);

    internal async Task<AgentRunResult> RunCoreAsync(
        AgentRunRequest request,
        string? parentRunId,
        Action<AgentRunEvent>? onEvent,
        CancellationToken cancellationToken)
    {
        var context = new AgentRunContext(request, Name, Tracker, parentRunId, onEvent, TimeProvider, Logger);
        context.Emit(new RunStartedEvent(request.Question));
        AgentRunResult result;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            result = await ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = context.CreateResult(AgentRunStatus.Cancelled, null, null, "The run was cancelled.");
        }
        catch (ModelCallDeniedException denied)
        {
            // A loop without a final-answer turn of its own: the call that does not fit was not made.
            result = context.CreateResult(AgentRunStatus.BudgetExhausted, null, null, denied.Message);
        }
#pragma warning disable CA1031 // A failing model or tool must not lose the run's spend; the error is reported in the result.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Logger.LogError(ex, "Agent run {RunId} ({Agent}) failed.", context.RunId, Name);
            result = context.CreateResult(AgentRunStatus.GaveUp, null, null, $"The run failed: {ex.GetType().Name}: {ex.Message}");
        }

        context.Emit(new RunCompletedEvent(result));
        return result;
    }

    private async IAsyncEnumerable<AgentRunEvent> StreamAsync(AgentRunRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<AgentRunEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<AgentRunResult> run = RunCoreAsync(request, null, e => channel.Writer.TryWrite(e), stop.Token);
        _ = run.ContinueWith(
            static (t, state) => ((ChannelWriter<AgentRunEvent>)state!).TryComplete(t.Exception),
            channel.Writer,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        try
        {
            // Read without the token: a cancelled run still delivers its RunCompletedEvent with the spend.
            await foreach (AgentRunEvent runEvent in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return runEvent;
            }
        }
        finally
        {
            // A consumer that stops reading early cancels the run; the run is awaited so nothing outlives the stream.
            if (!run.IsCompleted)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            await run.ConfigureAwait(false);
        }
    }
}
