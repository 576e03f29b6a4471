using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Agents.Samples.ChatApp.Api;

/// <summary>
/// One run of a conversation as Server-Sent Events (written by <c>TypedResults.ServerSentEvents</c>): the agent's
/// events in order, an <c>error</c> event when it fails, and a last <c>done</c> event saying how it ended. The run
/// stops when the page presses stop, closes the stream, or the server's time limit passes; the conversation keeps
/// the whole run in every case. When the run may ask (<see cref="RunAsks"/>), its questions and their answers come on the
/// same stream, in order with the agent's events, and are kept with the run.
/// </summary>
internal sealed partial class RunEventStream
{
    private readonly Conversation _conversation;
    private readonly CancellationTokenSource _run;
    private readonly IAgentRunner _runner;
    private readonly AgentRunRequest _request;
    private readonly RunRecorder _recorder;
    private readonly TimeSpan _maxDuration;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RunAsks? _asks;

    /// <summary>How long a question waits for an agent event already on its way, before it is sent (see <see cref="ReadAllAsync"/>).</summary>
    private static readonly TimeSpan AskGrace = TimeSpan.FromMilliseconds(500);

    /// <summary>Creates the stream of a run the conversation has started (<see cref="Conversation.TryStartRun"/>); it ends the run.</summary>
    public RunEventStream(
        Conversation conversation,
        CancellationTokenSource run,
        IAgentRunner runner,
        AgentRunRequest request,
        RunRecorder recorder,
        TimeSpan maxDuration,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        RunAsks? asks = null)
    {
        _asks = asks;
        _conversation = conversation;
        _run = run;
        _runner = runner;
        _request = request;
        _recorder = recorder;
        _maxDuration = maxDuration;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger("Agents.Samples.ChatApp.Runs");
    }

    /// <summary>The run's events as SSE items (event name and JSON data), ending with <c>done</c> unless the page has gone.</summary>
    /// <param name="requestAborted">The request's abort token; the result passes it when it enumerates.</param>
    public async IAsyncEnumerable<SseItem<string>> ReadAllAsync([EnumeratorCancellation] CancellationToken requestAborted = default)
    {
        var recorded = false;
        try
        {
            using var timeout = new CancellationTokenSource(_maxDuration, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_run.Token, timeout.Token, requestAborted);
            var events = _runner.RunAsync(_request, linked.Token).GetAsyncEnumerator(linked.Token);
            await using (events.ConfigureAwait(false))
            {
                string? status = null;
                var pending = NextAsync(events, linked, timeout, requestAborted);
                var asks = _asks?.Events;
                Task<bool>? askWait = null;
                var graced = false;
                while (status is null)
                {
                    if (asks is not null)
                    {
                        // A tool call waiting for the page's answer holds the agent's next event, so questions come on
                        // their own: a question after the events the agent produced before it, an answer before the next.
                        if (asks.TryPeek(out var head))
                        {
                            // Until its answer is queued behind it, a question means the agent is paused in the tool
                            // call that asks: an agent event read now was produced before the question and goes first.
                            var answered = head is AskEvent && asks.CanCount && asks.Count > 1;
                            if (head is AskEvent && !pending.IsCompleted && !graced)
                            {
                                // The read of an event produced before the question may still be on its way (the agent's
                                // stream hands events over through the thread pool): give it a moment, not forever.
                                graced = true;
                                await Task.WhenAny(pending, Task.Delay(AskGrace, CancellationToken.None)).ConfigureAwait(false); // scheduling, not a timeout: real time
                                continue;
                            }

                            if (head is not AskEvent || !pending.IsCompleted || answered)
                            {
                                graced = false;
                                asks.TryRead(out _);
                                yield return Item(_recorder.Record(head));
                                continue;
                            }
                        }
                        else
                        {
                            graced = false;
                        }

                        if (!pending.IsCompleted)
                        {
                            askWait ??= asks.WaitToReadAsync(CancellationToken.None).AsTask();
                            await Task.WhenAny(pending, askWait).ConfigureAwait(false);
                            if (askWait.IsCompleted)
                            {
                                asks = await askWait.ConfigureAwait(false) ? asks : null;
                                askWait = null;
                            }

                            continue;
                        }
                    }

                    var (next, ended) = await pending.ConfigureAwait(false);
                    status = ended;
                    if (next is not null)
                    {
                        yield return Item(_recorder.Record(next));
                    }

                    if (status is null)
                    {
                        pending = NextAsync(events, linked, timeout, requestAborted);
                    }
                }

                // Questions and answers still queued when the agent ended (an answer that came as it finished) are kept too.
                while (_asks?.Events.TryRead(out var late) == true)
                {
                    yield return Item(_recorder.Record(late));
                }

                var done = (DoneEvent)_recorder.Record(new DoneEvent(status));
                var turn = await AddTurnAsync().ConfigureAwait(false);
                recorded = true;
                if (!requestAborted.IsCancellationRequested)
                {
                    yield return Item(done with { Turn = turn });
                }
            }
        }
        finally
        {
            _asks?.Complete();
            if (!recorded)
            {
                // The page went away while an event was being written: the run is kept as disconnected.
                _recorder.Record(new DoneEvent("disconnected"));
                await AddTurnAsync().ConfigureAwait(false);
            }

            _conversation.EndRun(_run);
        }
    }

    /// <summary>Turns an event into an SSE item: its name, and its JSON in the API's settings (with the <c>type</c> discriminator).</summary>
    internal static SseItem<string> Item(AgentEvent agentEvent) =>
        new(JsonSerializer.Serialize(agentEvent, ApiJson.Options), agentEvent.EventName);

    /// <summary>The next event, or how the run ended (with an error event to send when it failed).</summary>
    private async Task<(AgentEvent? Next, string? Status)> NextAsync(
        IAsyncEnumerator<AgentEvent> events, CancellationTokenSource linked, CancellationTokenSource timeout, CancellationToken requestAborted)
    {
        try
        {
            var more = await events.MoveNextAsync().ConfigureAwait(false);

            // A planner that stops on the token still ends its stream normally (its result says cancelled): what it
            // yields after stop, a closed page or the time limit is not sent, and the run ends as such.
            linked.Token.ThrowIfCancellationRequested();
            return more ? (events.Current, null) : (null, "completed");
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            var status = _conversation.WasStopRequested ? "cancelled" : timeout.IsCancellationRequested ? "timed_out" : "disconnected";
            LogRunEnded(_logger, _conversation.Id, status);
            return (null, status);
        }
        catch (Exception ex) when (!requestAborted.IsCancellationRequested)
        {
            // The raw error goes to the log only; the page gets its id.
            var errorId = ErrorIds.New();
            LogRunFailed(_logger, ex, _conversation.Id, errorId);
            return (new ErrorEvent(ErrorIds.ClientMessage("The agent", errorId)), "failed");
        }
    }

    /// <summary>Keeps the run in the conversation; returns the index of its turn, or <see langword="null"/> when there was nothing to keep.</summary>
    private async Task<int?> AddTurnAsync()
    {
        if (_recorder.ToTurn() is not { } turn)
        {
            return null;
        }

        try
        {
            // Saved even when the page went away: the run happened and was paid for.
            await _conversation.AddAsync(turn, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var errorId = ErrorIds.New();
            LogRunFailed(_logger, ex, _conversation.Id, errorId);
            return null;
        }

        var turns = _conversation.GetTurns();
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(turns[i], turn))
            {
                return i;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run in conversation {ConversationId} ended: {Status}")]
    private static partial void LogRunEnded(ILogger logger, string conversationId, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run in conversation {ConversationId} failed (error id {ErrorId})")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string conversationId, string errorId);
}
