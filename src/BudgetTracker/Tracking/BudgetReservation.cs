namespace Agents.Budget;

/// <summary>
/// Units held for one tool call by <see cref="BudgetTracker.TryReserve"/>. Call <see cref="Commit"/> once the call ran,
/// or <see cref="Release"/> when it did not; <see cref="Dispose"/> releases a reservation that was not committed.
/// </summary>
/// <remarks>Thread-safe: only the first of <see cref="Commit"/> and <see cref="Release"/> has an effect.</remarks>
public sealed class BudgetReservation : IDisposable
{
    private const int Pending = 0;
    private const int Committed = 1;
    private const int Released = 2;

    private readonly BudgetTracker? _tracker;
    private readonly CategoryState? _state;
    private readonly ToolChargeContext? _charge;
    private int _status;

    internal BudgetReservation(BudgetTracker tracker, CategoryState state, int units)
    {
        _tracker = tracker;
        _state = state;
        Category = state.Name;
        Units = units;
        Granted = true;
        _charge = new ToolChargeContext(state.Name, units, tracker);
    }

    internal BudgetReservation(string category, int units, string deniedReason)
    {
        Category = category;
        Units = units;
        DeniedReason = deniedReason;
        _status = Released;
    }

    /// <summary>Gets a value indicating whether the units were reserved.</summary>
    public bool Granted { get; }

    /// <summary>Gets the text naming the exhausted budget when the reservation was denied; <see langword="null"/> when granted.</summary>
    public string? DeniedReason { get; }

    /// <summary>Gets the category.</summary>
    public string Category { get; }

    /// <summary>Gets the units asked for.</summary>
    public int Units { get; }

    /// <summary>Gets the units given back through <see cref="ToolChargeContext.Refund"/> while the call ran; they are not charged.</summary>
    public int RefundedUnits => _charge?.RefundedUnits ?? 0;

    /// <summary>Gets a value indicating whether <see cref="Commit"/> was called on a granted reservation.</summary>
    public bool IsCommitted => Volatile.Read(ref _status) == Committed;

    /// <summary>
    /// Makes this reservation the <see cref="ToolChargeContext.Current"/> tool call until the returned scope is disposed:
    /// run the tool inside it, so that it can give back units for work it refused before doing it.
    /// </summary>
    /// <returns>The scope; dispose it when the tool returned.</returns>
    /// <exception cref="InvalidOperationException">The reservation was denied.</exception>
    public IDisposable EnterCall()
    {
        if (!Granted)
        {
            throw new InvalidOperationException($"A denied reservation has no call to run: {DeniedReason}");
        }

        return ToolChargeContext.Enter(_charge!);
    }

    /// <summary>Counts the reserved units, less any refunded while the call ran, as used: the call ran.</summary>
    /// <exception cref="InvalidOperationException">The reservation was denied or already released.</exception>
    public void Commit() => CommitFor(null);

    /// <summary>Commits on behalf of the named function.</summary>
    internal void CommitFor(string? function)
    {
        if (!Granted)
        {
            throw new InvalidOperationException($"A denied reservation cannot be committed: {DeniedReason}");
        }

        int previous = Interlocked.CompareExchange(ref _status, Committed, Pending);
        if (previous == Released)
        {
            throw new InvalidOperationException("The reservation was already released and cannot be committed.");
        }

        if (previous == Pending)
        {
            _tracker!.CommitCore(_state!, Units, _charge!.Close(), function);
        }
    }

    /// <summary>Counts <paramref name="used"/> of the reserved units as used and gives the rest back (a ledger's partial commit).</summary>
    /// <param name="used">The units used, from 0 to <see cref="Units"/>.</param>
    internal void CommitUsed(int used)
    {
        if (Granted && Interlocked.CompareExchange(ref _status, Committed, Pending) == Pending)
        {
            _charge!.Close();
            _tracker!.CommitCore(_state!, Units, Units - used, null);
        }
    }

    /// <summary>Gives the reserved units back: the call did not run. Does nothing once committed or released.</summary>
    public void Release()
    {
        if (Interlocked.CompareExchange(ref _status, Released, Pending) == Pending)
        {
            _tracker!.ReleaseCore(_state!, Units);
        }
    }

    /// <summary>Releases the reservation unless it was committed.</summary>
    public void Dispose() => Release();
}
