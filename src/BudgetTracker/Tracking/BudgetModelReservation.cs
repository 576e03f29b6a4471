namespace Agents.Budget;

/// <summary>
/// The worst case of one model call held by <see cref="BudgetTracker.ReserveModelCallAsync"/> (or, on the tracker alone,
/// <see cref="BudgetTracker.TryReserveModelCall"/>). Make the call with <see cref="MaxOutputTokens"/> as its output cap,
/// then <see cref="Commit"/> its usage, or <see cref="Release"/> the reservation when the call failed;
/// <see cref="Dispose"/> releases a reservation that was not committed.
/// </summary>
/// <remarks>
/// <para>Thread-safe: only the first of <see cref="Commit"/> and <see cref="Release"/> has an effect.</para>
/// <para>With a <see cref="BudgetOptions.SharedLedger"/>, the reservation also holds the call's worst case there
/// (<see cref="SharedLedgerCategories"/>). <see cref="Commit"/> and <see cref="Release"/> settle the tracker at once and the
/// shared ledger in the background: only the actual usage is committed there, the rest released. Await
/// <see cref="SharedLedgerSettled"/> to know the shared ledger has answered.</para>
/// </remarks>
public sealed class BudgetModelReservation : IDisposable
{
    private const int Pending = 0;
    private const int Committed = 1;
    private const int Released = 2;

    private readonly BudgetTracker _tracker;
    private readonly long? _cap;
    private SharedModelHold? _shared;
    private Task _sharedSettled = Task.CompletedTask;
    private int _status;

    internal BudgetModelReservation(BudgetTracker tracker, long promptTokens, long? cap, decimal cost, string? modelId, bool finalAnswer)
    {
        _tracker = tracker;
        _cap = cap;
        PromptTokens = promptTokens;
        ReservedOutputTokens = cap ?? 0;
        ReservedCostUsd = cost;
        ModelId = modelId;
        IsFinalAnswer = finalAnswer;
        Granted = true;
    }

    internal BudgetModelReservation(BudgetTracker tracker, long promptTokens, string? modelId, bool finalAnswer, string deniedReason)
    {
        _tracker = tracker;
        PromptTokens = promptTokens;
        ModelId = modelId;
        IsFinalAnswer = finalAnswer;
        DeniedReason = deniedReason;
        _status = Released;
    }

    /// <summary>Gets a value indicating whether the call's worst case was reserved and the call may be made.</summary>
    public bool Granted { get; }

    /// <summary>Gets the text naming the budget the call does not fit; <see langword="null"/> when granted.</summary>
    public string? DeniedReason { get; }

    /// <summary>Gets the prompt's input tokens that were reserved (counted or estimated).</summary>
    public long PromptTokens { get; }

    /// <summary>
    /// Gets the most output tokens the call may produce: set it as the request's <see cref="ChatOptions.MaxOutputTokens"/>.
    /// <see langword="null"/> when neither the request nor any budget limits the output.
    /// </summary>
    public int? MaxOutputTokens => _cap is { } c ? (int)Math.Min(c, int.MaxValue) : null;

    /// <summary>
    /// The largest budget-derived output cap sent with a request that set none of its own: 4,096 tokens. Above it the budget
    /// is not what limits the reply, and servers refuse caps beyond their model's maximum output.
    /// </summary>
    public const int LargestUnrequestedOutputCap = 4_096;

    /// <summary>
    /// Gets the output cap to send with a request that asked for <paramref name="requested"/>: the smaller of the two when the
    /// request set a cap; otherwise this reservation's cap when it is at most <see cref="LargestUnrequestedOutputCap"/>.
    /// </summary>
    /// <param name="requested">The request's own <see cref="ChatOptions.MaxOutputTokens"/>, or <see langword="null"/>.</param>
    /// <returns>The cap to send, or <see langword="null"/> to send none.</returns>
    public int? OutputCapFor(int? requested)
    {
        if (MaxOutputTokens is not int cap)
        {
            return requested;
        }

        if (requested is int asked)
        {
            return Math.Min(asked, cap);
        }

        return cap <= LargestUnrequestedOutputCap ? cap : null;
    }

    /// <summary>
    /// Commits a response that carried no usage report with an estimate from above: the prompt tokens held, and the reply's
    /// tokens counted by <see cref="PromptTokenEstimator"/> (at most the output tokens held), rather than the whole
    /// reservation, which would spend the rest of a budget on one call.
    /// </summary>
    /// <param name="reply">The messages of the response.</param>
    /// <param name="responseModelId">The model the response names, for its prices.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reply"/> is null.</exception>
    public void CommitEstimate(IEnumerable<ChatMessage> reply, string? responseModelId = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        long output = PromptTokenEstimator.Estimate(reply, null);
        if (ReservedOutputTokens > 0)
        {
            output = Math.Min(output, ReservedOutputTokens);
        }

        Commit(new UsageDetails { InputTokenCount = PromptTokens, OutputTokenCount = output, TotalTokenCount = PromptTokens + output }, responseModelId);
    }

    /// <summary>Gets the output tokens held (0 when unbounded).</summary>
    public long ReservedOutputTokens { get; }

    /// <summary>Gets the money held for the worst case, in US dollars.</summary>
    public decimal ReservedCostUsd { get; }

    /// <summary>Gets the model whose prices were used.</summary>
    public string? ModelId { get; }

    /// <summary>Gets a value indicating whether this is a final-answer call, which may use the final-answer reserve.</summary>
    public bool IsFinalAnswer { get; }

    /// <summary>Gets a value indicating whether <see cref="Commit"/> was called on a granted reservation.</summary>
    public bool IsCommitted => Volatile.Read(ref _status) == Committed;

    /// <summary>Gets a value indicating whether the worst case is also held in the tracker's <see cref="BudgetOptions.SharedLedger"/>.</summary>
    public bool IsShared => _shared is not null;

    /// <summary>
    /// Gets a task that completes once the shared ledger has answered the <see cref="Commit"/> or <see cref="Release"/> of
    /// this reservation; a completed task before either, and when nothing is held in a shared ledger. It never faults: a
    /// ledger that cannot be reached is logged, and its leases then end by themselves.
    /// </summary>
    public Task SharedLedgerSettled => Volatile.Read(ref _sharedSettled);

    /// <summary>
    /// Replaces the reservation by the call's actual usage, in one atomic step on the tracker and its ancestors. Without
    /// a usage report the worst case is charged: the prompt tokens and the reserved output tokens at the reserved cost.
    /// </summary>
    /// <param name="usage">The call's usage, or <see langword="null"/> when the response carried none.</param>
    /// <param name="responseModelId">The model the response names: its prices when it has any, else those of <see cref="ModelId"/>.</param>
    /// <exception cref="InvalidOperationException">The reservation was denied or already released.</exception>
    public void Commit(UsageDetails? usage, string? responseModelId = null)
    {
        if (!TryTakeForCommit())
        {
            return;
        }

        // A response names the exact model version (gpt-4.1-mini-2025-04-14): its own price when it has one, else the reserved model's.
        string? model = responseModelId is not null && _tracker.Options.Pricing.ModelPrices.ContainsKey(responseModelId) ? responseModelId : ModelId ?? responseModelId;
        if (usage is null)
        {
            _tracker.RecordCore(PromptTokens, ReservedOutputTokens, 0, ReservedCostUsd, model, this);
            SettleShared(_shared?.CommitAsync(PromptTokens, ReservedOutputTokens, SharedLedgerCategories.ToMicroUsd(ReservedCostUsd)));
            return;
        }

        (long input, long output, long cached) = UsageReader.Read(usage);
        decimal cost = _tracker.Options.Pricing.GetModelPrice(model).Cost(input, output, cached);
        _tracker.RecordCore(input, output, cached, cost, model, this);
        SettleShared(_shared?.CommitAsync(input, output, SharedLedgerCategories.ToMicroUsd(cost)));
    }

    /// <summary>Gives the reservation back: the call was not made or failed. Does nothing once committed or released.</summary>
    public void Release()
    {
        if (Interlocked.CompareExchange(ref _status, Released, Pending) == Pending)
        {
            _tracker.ReleaseModelCore(this);
            SettleShared(_shared?.ReleaseAsync());
        }
    }

    /// <summary>Releases the reservation unless it was committed.</summary>
    public void Dispose() => Release();

    /// <summary>Commits <paramref name="usage"/> unless another layer on the same tracker already counted that object; then releases.</summary>
    internal void CommitOnce(UsageDetails usage, string? responseModelId)
    {
        if (_tracker.MarkCounted(usage))
        {
            Commit(usage, responseModelId);
        }
        else
        {
            Release();
        }
    }

    /// <summary>Adds the part held in the shared ledger; before the reservation is handed out.</summary>
    internal void AttachShared(SharedModelHold shared) => _shared = shared;

    private void SettleShared(Task? settling)
    {
        if (settling is not null)
        {
            Volatile.Write(ref _sharedSettled, settling);
        }
    }

    private bool TryTakeForCommit()
    {
        if (!Granted)
        {
            throw new InvalidOperationException($"A denied reservation cannot be committed: {DeniedReason}");
        }

        int previous = Interlocked.CompareExchange(ref _status, Committed, Pending);
        return previous == Released
            ? throw new InvalidOperationException("The reservation was already released and cannot be committed.")
            : previous == Pending;
    }
}
