namespace Agents.Budget;

/// <summary>
/// The tool call being charged on the current asynchronous flow. The charge paths (<see cref="BudgetTracker.InvokeToolAsync"/>,
/// the Semantic Kernel filter, and <see cref="BudgetReservation.EnterCall"/>) set <see cref="Current"/> while the tool runs,
/// so that a tool can give back units for work it refused before doing any (for example a URL refused by a security
/// check before anything was fetched): such work costs nothing.
/// </summary>
/// <remarks>Thread-safe. Refunds are capped at the reserved units; a refund after the call was committed has no effect.</remarks>
public sealed class ToolChargeContext
{
    private static readonly AsyncLocal<ToolChargeContext?> Ambient = new();
    private readonly Lock _gate = new();
    private int _refunded;
    private bool _closed;
    private BudgetModelSpend _modelSpend = BudgetModelSpend.Zero;

    internal ToolChargeContext(string category, int reservedUnits, BudgetTracker tracker)
    {
        Category = category;
        ReservedUnits = reservedUnits;
        Tracker = tracker;
    }

    /// <summary>Gets the tool call being charged on this asynchronous flow; <see langword="null"/> outside a charged call.</summary>
    public static ToolChargeContext? Current => Ambient.Value;

    /// <summary>Gets the budget category the call is charged to.</summary>
    public string Category { get; }

    /// <summary>
    /// Gets the tracker the call is charged to (the run's), so that the tool can charge work of its own to the same run,
    /// such as a model call it makes (see <see cref="BudgetTracker.TryReserveModelCall"/>, or a chat client built with
    /// <c>UseBudgetTracker(ToolChargeContext.Current.Tracker)</c>). Read it while the tool runs: <c>ToolChargeContext.Current?.Tracker</c>
    /// is the tracker charging the tool call in progress, <see langword="null"/> outside one.
    /// </summary>
    public BudgetTracker Tracker { get; }

    /// <summary>Gets the units reserved for the call before it ran.</summary>
    public int ReservedUnits { get; }

    /// <summary>Gets the units given back so far.</summary>
    public int RefundedUnits => Volatile.Read(ref _refunded);

    /// <summary>Gets the units the call will be charged when it completes: reserved less refunded.</summary>
    public int ChargedUnits => ReservedUnits - RefundedUnits;

    /// <summary>Gets the model usage charged on this call's flow while the tool ran (see <see cref="BudgetModelSpend"/>).</summary>
    public BudgetModelSpend ModelSpend
    {
        get
        {
            lock (_gate)
            {
                return _modelSpend;
            }
        }
    }

    /// <summary>Adds model usage that was charged while the tool ran.</summary>
    internal void AddModelSpend(long input, long output, long cached, decimal cost)
    {
        lock (_gate)
        {
            _modelSpend = new BudgetModelSpend(
                _modelSpend.InputTokens + input, _modelSpend.OutputTokens + output, _modelSpend.CachedInputTokens + cached, _modelSpend.ModelCalls + 1, _modelSpend.CostUsd + cost);
        }
    }

    /// <summary>Gives back units for work the tool refused before doing it. The total refund never exceeds <see cref="ReservedUnits"/>.</summary>
    /// <param name="units">The units to give back, 1 or more.</param>
    /// <returns>The units actually given back (less than asked when the reservation is used up, 0 once the call was committed).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is less than 1.</exception>
    public int Refund(int units)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        lock (_gate)
        {
            if (_closed)
            {
                return 0;
            }

            int granted = Math.Min(units, ReservedUnits - _refunded);
            if (granted <= 0)
            {
                return 0;
            }

            Volatile.Write(ref _refunded, _refunded + granted);
            return granted;
        }
    }

    /// <summary>Makes <paramref name="context"/> the current one until the returned scope is disposed.</summary>
    internal static AmbientScope<ToolChargeContext> Enter(ToolChargeContext context) => new(Ambient, context);

    /// <summary>Stops further refunds and returns the final refunded units.</summary>
    internal int Close()
    {
        lock (_gate)
        {
            _closed = true;
            return _refunded;
        }
    }
}
