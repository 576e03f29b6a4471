namespace Agents.Samples.ChatApp.Conversations;

/// <summary>One conversation: its messages and the run in progress, if any. Thread-safe.</summary>
internal sealed class Conversation
{
    private readonly Lock _gate = new();
    private readonly List<ChatTurn> _turns = [];
    private readonly ConversationStore? _store;
    private CancellationTokenSource? _activeRun;
    private RunAsks? _asks;
    private bool _stopRequested;

    /// <summary>Initializes a new instance of the <see cref="Conversation"/> class.</summary>
    /// <param name="id">The id.</param>
    /// <param name="title">The title.</param>
    /// <param name="createdAt">When it was created.</param>
    /// <param name="store">Where its turns are saved; <see langword="null"/> keeps them in memory only.</param>
    public Conversation(string id, string title, DateTimeOffset createdAt, ConversationStore? store = null)
    {
        Id = id;
        Title = title;
        CreatedAt = createdAt;
        _store = store;
    }

    public string Id { get; }

    public string Title { get; private set; }

    public DateTimeOffset CreatedAt { get; }

    public bool IsRunning
    {
        get { lock (_gate) return _activeRun is not null; }
    }

    /// <summary>Gets whether <see cref="Stop"/> was called for the run in progress (or the last one).</summary>
    public bool WasStopRequested
    {
        get { lock (_gate) return _stopRequested; }
    }

    /// <summary>Gets the questions of the run in progress, when it may ask (see <see cref="SetAsks"/>).</summary>
    public RunAsks? Asks
    {
        get { lock (_gate) return _asks; }
    }

    public IReadOnlyList<ChatTurn> GetTurns()
    {
        lock (_gate) return [.. _turns];
    }

    /// <summary>Saves a turn, then shows it; a turn the store refuses is not shown either (the caller gets the error).</summary>
    public async Task AddAsync(ChatTurn turn, CancellationToken cancellationToken)
    {
        string? title;
        lock (_gate)
        {
            title = _turns.Count == 0 && turn.Role == "user"
                ? (turn.Text.Length <= 60 ? turn.Text : string.Concat(turn.Text.AsSpan(0, 57), "..."))
                : null;
        }

        if (_store is not null)
        {
            await _store.SaveAsync(this, turn, title, cancellationToken).ConfigureAwait(false);
        }

        lock (_gate)
        {
            Title = title ?? Title;
            _turns.Add(turn);
        }
    }

    /// <summary>Replaces the turns with the stored ones (not while this replica runs the conversation).</summary>
    internal void Load(string title, IReadOnlyList<ChatTurn> turns)
    {
        lock (_gate)
        {
            if (_activeRun is not null)
            {
                return;
            }

            Title = title;
            _turns.Clear();
            _turns.AddRange(turns);
        }
    }

    /// <summary>Starts a run unless one is already in progress.</summary>
    /// <param name="requestAborted">Ends the run when the page closes the stream.</param>
    /// <param name="run">The source that stops the run; disposed by <see cref="EndRun"/>.</param>
    public bool TryStartRun(CancellationToken requestAborted, out CancellationTokenSource run)
    {
        lock (_gate)
        {
            if (_activeRun is not null)
            {
                run = null!;
                return false;
            }

            run = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            _activeRun = run;
            _stopRequested = false;
            return true;
        }
    }

    /// <summary>Requests the run in progress to stop; <see langword="false"/> when none runs.</summary>
    public bool Stop()
    {
        CancellationTokenSource? run;
        lock (_gate)
        {
            run = _activeRun;
            if (run is null)
            {
                return false;
            }

            _stopRequested = true;
        }

        try
        {
            run.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended between the check and the cancel.
        }

        return true;
    }

    /// <summary>Gives the run in progress its questions, so that answers find them; dropped by <see cref="EndRun"/>.</summary>
    public void SetAsks(CancellationTokenSource run, RunAsks asks)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_activeRun, run))
            {
                _asks = asks;
            }
        }
    }

    public void EndRun(CancellationTokenSource run)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_activeRun, run))
            {
                _activeRun = null;
                _asks = null;
            }
        }

        run.Dispose();
    }
}
