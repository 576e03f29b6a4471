using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Agents.Samples.ChatApp.Conversations;

/// <summary>
/// The questions of one run: the run's <see cref="BudgetTracker"/> asks through it when a tool category is spent. Each
/// question goes to the page as an <see cref="AskEvent"/> on the run's stream, and the tool call waits until
/// <see cref="Answer"/> is called (<c>POST /api/conversations/{id}/asks/{askId}</c>) or the timeout passes (a decline);
/// the answer follows on the stream as an <see cref="AskAnswerEvent"/>. Thread-safe.
/// </summary>
internal sealed class RunAsks : IBudgetExtensionApprover
{
    private readonly Channel<AgentEvent> _events = Channel.CreateUnbounded<AgentEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, PendingAsk> _asks = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;

    public RunAsks(TimeSpan timeout, TimeProvider timeProvider)
    {
        _timeout = timeout;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the questions and answers, in order, for the run's stream.</summary>
    public ChannelReader<AgentEvent> Events => _events.Reader;

    /// <summary>Gets the question waiting for an answer, if any (shown again when the page reloads while the run waits).</summary>
    public AskEvent? Pending => _asks.Values.Where(a => !a.Answer.Task.IsCompleted).Select(a => a.Ask).FirstOrDefault();

    /// <inheritdoc/>
    public async ValueTask<int> RequestMoreAsync(BudgetExtensionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ask = new AskEvent("ask-" + Guid.NewGuid().ToString("N")[..16], request.Category, request.UsedUnits, request.Limit, request.OfferedUnits, request.Text);
        var pending = new PendingAsk(ask);
        _asks[ask.AskId] = pending;
        _events.Writer.TryWrite(ask);

        bool granted;
        var by = "user";
        try
        {
            granted = await pending.Answer.Task.WaitAsync(_timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Unless the page answered at that very moment, nobody answered: a decline.
            by = pending.Answer.TrySetResult(false) ? "timeout" : by;
            granted = await pending.Answer.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            pending.Answer.TrySetResult(false);
            granted = false;
            by = "cancelled";
        }

        var units = granted ? request.OfferedUnits : 0;
        _events.Writer.TryWrite(new AskAnswerEvent(ask.AskId, granted, units, by));
        return units;
    }

    /// <summary>Answers a question of this run.</summary>
    public AskAnswerOutcome Answer(string askId, bool grant)
    {
        if (!_asks.TryGetValue(askId, out var pending))
        {
            return AskAnswerOutcome.NotFound;
        }

        return pending.Answer.TrySetResult(grant) ? AskAnswerOutcome.Answered : AskAnswerOutcome.AlreadyAnswered;
    }

    /// <summary>Ends the run's questions: nothing more is written to <see cref="Events"/>, and open questions are declined.</summary>
    public void Complete()
    {
        foreach (var pending in _asks.Values)
        {
            pending.Answer.TrySetResult(false);
        }

        _events.Writer.TryComplete();
    }

    private sealed class PendingAsk(AskEvent ask)
    {
        public AskEvent Ask { get; } = ask;

        public TaskCompletionSource<bool> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
