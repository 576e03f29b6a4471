using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Budget;

/// <summary>
/// Tracks and enforces tool-unit, token, money and wall-clock budgets of one or more agents (BATS Budget Tracker).
/// </summary>
/// <remarks>
/// <para>Thread-safe: one instance may be shared by several agents or sub-agents spending one budget. Units are
/// reserved atomically before a tool runs, committed when it ran and released when it did not, so concurrent
/// calls can never overspend a category.</para>
/// <para>Model calls are held the same way (<see cref="ReserveModelCallAsync"/>, done for you by <see cref="BudgetChatClient"/>):
/// the prompt's tokens plus the capped output tokens, priced, are reserved before the call and replaced by the actual
/// usage after it, so <see cref="BudgetOptions.MaxInputTokens"/>, <see cref="BudgetOptions.MaxOutputTokens"/> and
/// <see cref="BudgetOptions.MaxCostUsd"/> hold exactly, like unit limits, as long as prompts are counted from above and the
/// model honours its output cap. Usage recorded without a reservation (<see cref="RecordUsage(UsageDetails, string?)"/>)
/// is counted after the fact and can go beyond a limit; the next calls are then refused.</para>
/// <para>Sub-budgets: <see cref="CreateChild"/> gives a stage or sub-agent its own limits inside this tracker's.</para>
/// <para>Integrations: <c>kernel.UseBudgetTracker(tracker)</c> (Semantic Kernel, in <c>Agents.BudgetTracker.SemanticKernel</c>) and
/// <see cref="BudgetChatClientBuilderExtensions.UseBudgetTracker(Microsoft.Extensions.AI.ChatClientBuilder, BudgetTracker, Action{BudgetChatClientOptions})"/> (Microsoft.Extensions.AI).</para>
/// <para>The tracker is a facade: the counters and their lock live in a ledger, each kind of limit is checked in one
/// place, one formatter writes the budget block and the guideline, and one pipeline charges every tool call.</para>
/// </remarks>
public sealed partial class BudgetTracker
{
    private readonly BudgetTracker? _parent;
    private readonly BudgetTracker[] _levels;
    private readonly ConditionalWeakTable<object, object> _countedUsage = [];
    private readonly TimeProvider _timeProvider;
    private readonly SpendTransfer _spend;

    /// <summary>Creates a tracker. The options are validated and frozen.</summary>
    /// <param name="options">The budgets.</param>
    /// <param name="timeProvider">The clock for the wall-clock limit; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="loggerFactory">The logger factory; no logging by default.</param>
    /// <param name="meterFactory">The meter factory for the <c>Agents.Budget</c> meter; by default one process-wide <c>Agents.Budget</c> meter shared by all trackers.</param>
    /// <exception cref="InvalidOperationException">The options are invalid (see <see cref="BudgetOptions.Validate"/>).</exception>
    public BudgetTracker(BudgetOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : this(options, timeProvider ?? TimeProvider.System, (ILogger?)loggerFactory?.CreateLogger<BudgetTracker>() ?? NullLogger.Instance, BudgetMetrics.Create(meterFactory), null)
    {
    }

    private BudgetTracker(BudgetOptions options, TimeProvider timeProvider, ILogger logger, BudgetMetrics metrics, BudgetTracker? parent)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options.Freeze();
        Options = options;
        _parent = parent;
        _levels = parent is null ? [this] : [this, .. parent._levels];
        _timeProvider = timeProvider;
        Counters = new BudgetCounters(options, timeProvider, parent?.Counters);
        Events = new BudgetEvents(this, Counters, logger, metrics);
        Formatter = new BudgetTextFormatter(Counters);
        Tools = new ToolResolver(Counters);
        Pipeline = new ToolChargePipeline(this);
        _spend = new SpendTransfer(Counters, Events);
    }

    /// <summary>Raised after the units of a call that ran were counted. Handlers run on the caller's thread.</summary>
    public event EventHandler<BudgetChargedEventArgs>? Charged
    {
        add => Events.Charged += value;
        remove => Events.Charged -= value;
    }

    /// <summary>Raised once per limit when it is reached (a category, tokens, cost or time).</summary>
    public event EventHandler<BudgetExhaustedEventArgs>? Exhausted
    {
        add => Events.Exhausted += value;
        remove => Events.Exhausted -= value;
    }

    /// <summary>
    /// Raised when the <see cref="BudgetOptions.ExtensionApprover"/> answered a question about a spent category, granted or
    /// declined (the receipt of the decision; also logged and tagged on the call's <c>execute_tool</c> span). Handlers run
    /// on the caller's thread.
    /// </summary>
    public event EventHandler<BudgetExtensionEventArgs>? ExtensionAnswered
    {
        add => Events.ExtensionAnswered += value;
        remove => Events.ExtensionAnswered -= value;
    }

    /// <summary>Gets the (frozen) options.</summary>
    public BudgetOptions Options { get; }

    /// <summary>Gets the tracker this one was created from by <see cref="CreateChild"/>; <see langword="null"/> for a root tracker.</summary>
    public BudgetTracker? Parent => _parent;

    /// <summary>Gets the spending regime of the tightest budget.</summary>
    public BudgetRegime Regime
    {
        get
        {
            lock (Counters.Gate)
            {
                return Counters.RegimeChain();
            }
        }
    }

    /// <summary>Gets a value indicating whether any hard limit is reached.</summary>
    /// <remarks>A child tracker (see <see cref="CreateChild"/>) is also exhausted when an ancestor is. With a
    /// <see cref="BudgetOptions.ExtensionApprover"/>, a spent category of this tracker does not count until the approver
    /// declined to extend it: the run goes on, and the category's next call asks for more.</remarks>
    public bool IsExhausted
    {
        get
        {
            lock (Counters.Gate)
            {
                return Counters.IsExhaustedChain(askable: Options.ExtensionApprover is not null);
            }
        }
    }

    /// <summary>Gets the ledger: the counters of this level and the lock of the tree.</summary>
    internal BudgetCounters Counters { get; }

    /// <summary>Gets the events, metrics and log of this level.</summary>
    internal BudgetEvents Events { get; }

    /// <summary>Gets the formatter of the budget block and the guideline.</summary>
    internal BudgetTextFormatter Formatter { get; }

    /// <summary>Gets the resolver of tools to categories and units.</summary>
    internal ToolResolver Tools { get; }

    /// <summary>Gets the one charge path of tool calls.</summary>
    internal ToolChargePipeline Pipeline { get; }

    /// <summary>
    /// Gets a value indicating whether this tracker or an ancestor limits input tokens, output tokens or money, or has a
    /// <see cref="BudgetOptions.SharedLedger"/> (which may): model calls are then reserved before they are made.
    /// </summary>
    internal bool HasModelLimits => Counters.Levels.Any(l => l.Limits.HasModelLimits) || SharedLedgerLevel is not null;

    /// <summary>Gets the options of the nearest level (this tracker, else the closest ancestor) that has a <see cref="BudgetOptions.SharedLedger"/>.</summary>
    internal BudgetOptions? SharedLedgerLevel => Array.Find(_levels, t => t.Options.SharedLedger is not null)?.Options;

    /// <summary>Gets the request scope of the <see cref="BudgetChatClient"/> layers on this tracker in the current async flow.</summary>
    internal AsyncLocal<UsageScope?> UsageScopes { get; } = new();

    /// <summary>Reserves units of a category atomically. Commit the reservation once the call ran; dispose it otherwise.</summary>
    /// <param name="category">The category (case-insensitive, surrounding white space ignored); an unknown one is created unlimited.</param>
    /// <param name="units">The units, 1 or more.</param>
    /// <returns>A granted reservation, or a denied one whose <see cref="BudgetReservation.DeniedReason"/> names the exhausted budget.</returns>
    public BudgetReservation TryReserve(string category, int units)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        CategoryState state = Counters.GetOrAddCategory(category);
        return TryReserveCore(state, units, null, out string? reason)
            ? new BudgetReservation(this, state, units)
            : new BudgetReservation(state.Name, units, reason!);
    }

    /// <summary>
    /// Reserves the worst case of one model call before it is made, atomically on this tracker and every ancestor:
    /// the prompt's input tokens plus the most output tokens the call may produce, priced with the model's prices.
    /// </summary>
    /// <remarks>
    /// <para>The output tokens are capped to what remains: <see cref="BudgetModelReservation.MaxOutputTokens"/> is the
    /// smallest of <paramref name="maxOutputTokens"/>, the output tokens left under <see cref="BudgetOptions.MaxOutputTokens"/>
    /// and the output tokens the money left under <see cref="BudgetOptions.MaxCostUsd"/> pays for once the prompt is paid
    /// (at the higher of the model's uncached and cached input prices). Set it as the request's
    /// <see cref="ChatOptions.MaxOutputTokens"/>. The call is denied when its prompt does not fit the input tokens left, or
    /// not even one output token fits, or the time limit is reached. Reserved tokens and money count as spent for every
    /// other reservation, tool calls included, until the call's reservation is committed or released.</para>
    /// <para>Ordinary calls may not use <see cref="BudgetOptions.FinalAnswerReserveTokens"/> and
    /// <see cref="BudgetOptions.FinalAnswerReserveUsd"/>; a call with <paramref name="finalAnswer"/> may.</para>
    /// <para>The limits hold exactly when <paramref name="promptTokens"/> is at least the input tokens the provider will
    /// report and the model honours <see cref="ChatOptions.MaxOutputTokens"/>; usage beyond the reservation is still
    /// recorded, as spent.</para>
    /// <para>This method reserves on this tracker and its ancestors only, never in a <see cref="BudgetOptions.SharedLedger"/>,
    /// and it does not wait: use it for holds that split a run's own budget (such as a share kept back for a later stage),
    /// and <see cref="ReserveModelCallAsync"/> for the model calls that are made, so that a shared cap holds for them.</para>
    /// </remarks>
    /// <param name="promptTokens">The prompt's input tokens, counted or conservatively estimated (see <see cref="PromptTokenEstimator"/>).</param>
    /// <param name="maxOutputTokens">The request's own output-token cap, if any.</param>
    /// <param name="modelId">The model, for its prices.</param>
    /// <param name="finalAnswer">Whether this call is the agent's final answer, which may use the final-answer reserve.</param>
    /// <returns>A granted reservation to commit with the call's usage (or release when the call failed), or a denied one
    /// whose <see cref="BudgetModelReservation.DeniedReason"/> says which budget it does not fit.</returns>
    public BudgetModelReservation TryReserveModelCall(long promptTokens, int? maxOutputTokens, string? modelId, bool finalAnswer = false)
    {
        CheckModelCall(promptTokens, maxOutputTokens);
        return ReserveModelLocally(promptTokens, maxOutputTokens, modelId, finalAnswer);
    }

    /// <summary>
    /// Reserves the worst case of one model call before it is made, like <see cref="TryReserveModelCall"/>, and also in the
    /// <see cref="BudgetOptions.SharedLedger"/> of this tracker or its nearest ancestor that has one: the prompt's tokens
    /// (<see cref="SharedLedgerCategories.InputTokens"/>), the capped output tokens (<see cref="SharedLedgerCategories.OutputTokens"/>)
    /// and the worst-case money (<see cref="SharedLedgerCategories.CostMicroUsd"/>), each for
    /// <see cref="BudgetOptions.SharedLedgerLease"/>.
    /// </summary>
    /// <remarks>
    /// <para>The tracker is asked first; the shared ledger only when the tracker granted. A shared denial, or a shared
    /// ledger that cannot be reached, gives a reservation that is not granted and whose
    /// <see cref="BudgetModelReservation.DeniedReason"/> says so; the tracker's part is then released. Committing the
    /// reservation commits the call's actual usage in the shared ledger and releases the rest (see
    /// <see cref="BudgetModelReservation.SharedLedgerSettled"/>).</para>
    /// <para>A shared worst case needs an output cap: a request without one (<paramref name="maxOutputTokens"/>
    /// <see langword="null"/>) is held and capped at <see cref="BudgetModelReservation.LargestUnrequestedOutputCap"/> output
    /// tokens. The shared ledger does not lower the cap to what it has left, as the tracker does: a call whose worst case
    /// does not fit there is refused. Without a shared ledger this is <see cref="TryReserveModelCall"/>.</para>
    /// </remarks>
    /// <param name="promptTokens">The prompt's input tokens, counted or conservatively estimated (see <see cref="PromptTokenEstimator"/>).</param>
    /// <param name="maxOutputTokens">The request's own output-token cap, if any.</param>
    /// <param name="modelId">The model, for its prices.</param>
    /// <param name="finalAnswer">Whether this call is the agent's final answer, which may use the final-answer reserve.</param>
    /// <param name="cancellationToken">Cancels the wait for the shared ledger; nothing stays held.</param>
    /// <returns>A granted reservation to commit with the call's usage (or release when the call failed), or a denied one
    /// whose <see cref="BudgetModelReservation.DeniedReason"/> says which budget it does not fit.</returns>
    public async Task<BudgetModelReservation> ReserveModelCallAsync(long promptTokens, int? maxOutputTokens, string? modelId, bool finalAnswer = false, CancellationToken cancellationToken = default)
    {
        CheckModelCall(promptTokens, maxOutputTokens);
        cancellationToken.ThrowIfCancellationRequested();
        if (SharedLedgerLevel is not { SharedLedger: { } ledger } level)
        {
            return ReserveModelLocally(promptTokens, maxOutputTokens, modelId, finalAnswer);
        }

        BudgetModelReservation hold = ReserveModelLocally(promptTokens, maxOutputTokens ?? BudgetModelReservation.LargestUnrequestedOutputCap, modelId, finalAnswer);
        if (!hold.Granted)
        {
            return hold;
        }

        (SharedModelHold? shared, string? denied) = (null, null);
        try
        {
            (shared, denied) = await SharedModelHold.ReserveAsync(
                ledger, level.SharedLedgerLease, Events.Logger, hold.PromptTokens, hold.ReservedOutputTokens, SharedLedgerCategories.ToMicroUsd(hold.ReservedCostUsd), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (shared is null)
            {
                hold.Release();
            }
        }

        if (shared is null)
        {
            Events.OnDenied("model", modelId ?? "model", denied!);
            return new BudgetModelReservation(this, promptTokens, modelId, finalAnswer, denied!);
        }

        hold.AttachShared(shared);
        return hold;
    }

    private static void CheckModelCall(long promptTokens, int? maxOutputTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        if (maxOutputTokens is { } requested)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(requested, 1, nameof(maxOutputTokens));
        }
    }

    private BudgetModelReservation ReserveModelLocally(long promptTokens, int? maxOutputTokens, string? modelId, bool finalAnswer)
    {
        string? reason = Counters.TryReserveModel(promptTokens, maxOutputTokens, Options.Pricing.GetModelPrice(modelId), finalAnswer, out long? cap, out decimal cost);
        if (reason is not null)
        {
            Events.OnDenied("model", modelId ?? "model", reason);
            return new BudgetModelReservation(this, promptTokens, modelId, finalAnswer, reason);
        }

        return new BudgetModelReservation(this, promptTokens, cap, cost, modelId, finalAnswer);
    }

    /// <summary>
    /// Creates a child budget for a stage or a sub-agent. The child enforces its own <paramref name="limits"/> and, in the
    /// same atomic step, every ancestor's: a reservation (tool units, a model call's worst case) is granted only when it
    /// fits the child and every ancestor, and is held, committed and released on all of them at once. So a child can
    /// never spend more than its parent has left, and children running in parallel can never together overspend it.
    /// </summary>
    /// <remarks>
    /// <para>Everything the child spends (units by category name, tokens, money) flows unchanged into its ancestors'
    /// counters; the parent's snapshot and <see cref="GetSpend"/> include it. Money is priced with the child's options; when
    /// <paramref name="limits"/> sets no price at all, the parent's prices are copied into it. The parent's time limit
    /// applies to the child; the child's own <see cref="BudgetOptions.MaxDuration"/> counts from its creation.</para>
    /// <para>Resume: <see cref="RestoreSpend"/> on a child adds to the child's counters only, because the parent's own
    /// saved spend already contains its children's. Restore the parent from its spend, then each child from its own.
    /// <see cref="Reset"/> on a child clears the child's counters only.</para>
    /// <para>A child shares its parent's lock, clock, logger and meter; its spend is reported to the metrics once.</para>
    /// </remarks>
    /// <param name="limits">The child's limits; validated and frozen like a tracker's options.</param>
    /// <returns>The child tracker.</returns>
    public BudgetTracker CreateChild(BudgetOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Pricing.IsDefault && !Options.Pricing.IsDefault)
        {
            limits.Pricing.CopyFrom(Options.Pricing);
            foreach (string category in Options.Pricing.UnitPrices.Keys)
            {
                if (!limits.IsKnownCategory(category))
                {
                    limits.AddCategory(category);
                }
            }
        }

        return new BudgetTracker(limits, _timeProvider, Events.Logger, Events.Metrics, this);
    }

    /// <summary>Resolves the category of a tool: the first matching <see cref="BudgetOptions.AddToolMapping(string, string, string?)"/> entry, else its
    /// <see cref="BudgetCategoryAttribute"/>, else <see cref="BudgetOptions.DefaultCategory"/>.</summary>
    /// <param name="pluginName">The plugin name, if any.</param>
    /// <param name="functionName">The function name (or the full <c>plugin_function</c> name).</param>
    /// <param name="method">The method behind the function, to read its attribute.</param>
    /// <returns>The category name.</returns>
    public string ResolveCategory(string? pluginName, string functionName, MethodInfo? method = null) =>
        Tools.Resolve(pluginName, functionName, method).Category.Name;

    /// <summary>Counts the units one call costs.</summary>
    /// <param name="pluginName">The plugin name, if any.</param>
    /// <param name="functionName">The function name.</param>
    /// <param name="arguments">The call's arguments.</param>
    /// <param name="method">The method behind the function, to read its attribute.</param>
    /// <returns>The units, 1 or more.</returns>
    /// <exception cref="BudgetConfigurationException">The unit argument is missing, not an array or empty, or the unit counter failed.</exception>
    public int CountUnits(string? pluginName, string functionName, IReadOnlyDictionary<string, object?> arguments, MethodInfo? method = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        int units = UnitCounting.Count(Tools.Resolve(pluginName, functionName, method), arguments, out string? error);
        return error is null ? units : throw new BudgetConfigurationException(error);
    }

    /// <summary>
    /// Charges, runs and commits one tool call: the units are reserved first, the function runs only when granted,
    /// and the units are committed when it returned or released when it threw or was cancelled.
    /// </summary>
    /// <param name="function">The function.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The outcome; <see cref="BudgetedToolResult.Result"/> is what the model should see.</returns>
    public async Task<BudgetedToolResult> InvokeToolAsync(AIFunction function, AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        return await Pipeline.InvokeAsync(Tools.Resolve(function), arguments, ct => function.InvokeAsync(arguments, ct), formatResult: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the tokens of one model response.</summary>
    /// <param name="usage">The usage.</param>
    /// <param name="modelId">The model, for its prices.</param>
    /// <exception cref="ArgumentException">A count is negative, or cached tokens exceed input tokens.</exception>
    public void RecordUsage(UsageDetails usage, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        (long input, long output, long cached) = UsageReader.Read(usage);
        RecordCore(input, output, cached, Options.Pricing.GetModelPrice(modelId).Cost(input, output, cached), modelId, null);
    }

    /// <summary>Records the tokens of one model response given as <see cref="UsageDetails"/>, <see cref="UsageContent"/> or <c>OpenAI.Chat.ChatTokenUsage</c> (read by reflection; the core does not reference the OpenAI SDK).</summary>
    /// <param name="usage">The usage object.</param>
    /// <param name="modelId">The model, for its prices.</param>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is null.</exception>
    /// <exception cref="ArgumentException">The object is of another type, or malformed.</exception>
    public void RecordUsage(object? usage, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        (long input, long output, long cached) = UsageReader.Read(usage);
        RecordCore(input, output, cached, Options.Pricing.GetModelPrice(modelId).Cost(input, output, cached), modelId, null);
    }

    /// <summary>
    /// Records the tokens of one model response unless this tracker already recorded that very <see cref="UsageDetails"/>
    /// object (for example a <see cref="BudgetChatClient"/> layer on this tracker inside the caller's chat client): code
    /// that records what a chat client returned counts each response once, whatever layers the client has.
    /// </summary>
    /// <param name="usage">The usage of the response.</param>
    /// <param name="modelId">The model, for its prices.</param>
    /// <returns><see langword="true"/> when it was recorded now; <see langword="false"/> when it had been recorded already.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is null.</exception>
    /// <exception cref="ArgumentException">A count is negative, or cached tokens exceed input tokens.</exception>
    public bool RecordUsageOnce(UsageDetails usage, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return RecordUsageOnce((object)usage, modelId);
    }

    /// <summary>
    /// Records a usage object (<see cref="UsageDetails"/>, <see cref="UsageContent"/> or <c>OpenAI.Chat.ChatTokenUsage</c>, as
    /// <see cref="RecordUsage(object?, string?)"/> reads them) that a chat-client layer or a framework adapter saw, unless this
    /// tracker already recorded that very object: the same usage passing two layers (or a layer and an adapter's filter) is
    /// counted once.
    /// </summary>
    /// <param name="usage">The usage object of the response.</param>
    /// <param name="modelId">The model, for its prices.</param>
    /// <returns><see langword="true"/> when it was recorded now; <see langword="false"/> when it had been recorded already.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is null.</exception>
    /// <exception cref="ArgumentException">The object is of another type, or malformed (it then counts as seen: it is not read again).</exception>
    public bool RecordUsageOnce(object usage, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (!MarkCounted(usage))
        {
            return false;
        }

        RecordUsage(usage, modelId);
        return true;
    }

    /// <summary>Takes an immutable snapshot of the state.</summary>
    /// <returns>The snapshot.</returns>
    public BudgetSnapshot GetSnapshot() => Counters.Snapshot();

    /// <summary>
    /// Returns what this tracker has spent (committed units, tokens, money, elapsed time, restored spend included),
    /// to be stored and handed to <see cref="RestoreSpend"/> of a tracker in a later process.
    /// </summary>
    /// <returns>The spend; categories without committed units are left out.</returns>
    public BudgetSpend GetSpend() => _spend.Capture();

    /// <summary>
    /// Adds spend carried over from an earlier process (see <see cref="GetSpend"/>) to this tracker's counters: units to
    /// their categories, tokens, costs, and elapsed time, which then counts against <see cref="BudgetOptions.MaxDuration"/>.
    /// Restored spend counts against the limits like any other spend: it is never clamped, a limit it reaches denies
    /// further calls, and the result lists every limit it reached or went beyond. Raises <see cref="Exhausted"/> when a
    /// limit is now reached. Restore into a fresh tracker once, before it spends.
    /// </summary>
    /// <remarks>Thread-safe. The restored spend is not added to the <c>Agents.Budget</c> metrics, which count this process's spend.
    /// Category names are trimmed and compared case-insensitively; keys naming the same category are added up.</remarks>
    /// <param name="prior">The spend to add.</param>
    /// <returns>Whether the tracker is now exhausted and which limits the spend is beyond.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prior"/> is null.</exception>
    /// <exception cref="ArgumentException">A value is negative, cached tokens exceed input tokens, a category is empty or
    /// not known to this tracker (neither configured in its options nor used by it so far).</exception>
    public BudgetRestoreResult RestoreSpend(BudgetSpend prior) => _spend.Restore(prior);

    /// <summary>Formats the budget block shown after every tool result, from <see cref="BudgetOptions.BudgetBlockTemplate"/>.</summary>
    /// <returns>For example <c>&lt;budget&gt;\nSearch used: 3, remaining: 7\nRegime: HIGH\n&lt;/budget&gt;</c>.</returns>
    public string FormatBudgetBlock() => Formatter.FormatBlock(null);

    /// <summary>Formats the system-prompt guideline describing the spending regimes, from <see cref="BudgetOptions.GuidelineTemplate"/>.</summary>
    /// <returns>The guideline text.</returns>
    public string FormatGuideline() => Formatter.FormatGuideline();

    /// <summary>Starts a new run: clears all counters and restarts the clock. Calls in flight keep their reservations.</summary>
    public void Reset()
    {
        lock (Counters.Gate)
        {
            Counters.Reset();
            Events.ForgetAll();
        }
    }

    /// <summary>
    /// Raises the unit limit of a limited category by <paramref name="units"/>, for example when the user grants more
    /// budget to a paused run. The category can be reported exhausted again once the new limit is reached.
    /// </summary>
    /// <remarks>Thread-safe. The options keep the configured limit; snapshots and the budget block show the new one.</remarks>
    /// <param name="category">The category (case-insensitive); it must have a limit.</param>
    /// <param name="units">The units to add, 1 or more.</param>
    /// <returns>The new limit.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The category is unknown or has no limit.</exception>
    public long ExtendToolLimit(string category, long units)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if (!Counters.TryGetCategory(category, out CategoryState? state))
        {
            throw new InvalidOperationException($"The category '{category}' is unknown to this tracker.");
        }

        long limit;
        lock (Counters.Gate)
        {
            if (state!.Limit is not { } old)
            {
                throw new InvalidOperationException($"The category '{category}' has no limit to extend.");
            }

            limit = checked(old + units);
            state.Limit = limit;
            state.ExtensionDeclined = false;
            Events.Forget(state.Name);
        }

        BudgetLog.Extended(Events.Logger, state.Name, units, limit);
        return limit;
    }

    internal static (string? Plugin, string Name) NameOf(AIFunction function) => ToolResolver.NameOf(function);

    internal ResolvedTool Resolve(string? pluginName, string functionName, MethodInfo? method) => Tools.Resolve(pluginName, functionName, method);

    /// <summary>Reserves units on this tracker and its ancestors; reports a refusal.</summary>
    internal bool TryReserveCore(CategoryState state, int units, string? function, out string? reason)
    {
        reason = Counters.TryReserveUnits(state, units);
        if (reason is null)
        {
            return true;
        }

        Events.OnDenied(state.Name, function, reason);
        RaiseExhaustionChain();
        return false;
    }

    /// <summary>Counts <paramref name="reserved"/> less <paramref name="refunded"/> units as used, and gives the refunded ones back.</summary>
    internal void CommitCore(CategoryState state, int reserved, int refunded, string? function)
    {
        refunded = Math.Clamp(refunded, 0, reserved);
        if (refunded > 0)
        {
            ReleaseCore(state, refunded);
        }

        if (reserved - refunded > 0)
        {
            CommitCore(state, reserved - refunded, function);
        }
    }

    internal void CommitCore(CategoryState state, int units, string? function)
    {
        long used = Counters.CommitUnits(state, units);
        Events.OnCharged(state, units, used, function);
        RaiseExhaustionChain();
    }

    internal void ReleaseCore(CategoryState state, int units)
    {
        Counters.ReleaseUnits(state, units);
        Events.OnReleased(state, units);
    }

    /// <summary>Returns the result as text, a new line and the budget block, as one string.</summary>
    internal string AppendBudgetBlock(object? result) => Formatter.FormatBlock(ToolResultText.ToText(result));

    /// <summary>Adds usage to this tracker and its ancestors, giving back <paramref name="hold"/> in the same step.</summary>
    internal void RecordCore(long input, long output, long cached, decimal cost, string? modelId, BudgetModelReservation? hold)
    {
        Counters.AddUsage(input, output, cached, cost, hold);
        ToolChargeContext.Current?.AddModelSpend(input, output, cached, cost);
        Events.OnUsage(input, output, cached, cost, modelId);
        RaiseExhaustionChain();
    }

    /// <summary>Gives back a model call's reservation on this tracker and its ancestors.</summary>
    internal void ReleaseModelCore(BudgetModelReservation hold) => Counters.ReleaseModel(hold);

    /// <summary>Marks a usage object as counted by this tracker.</summary>
    /// <returns><see langword="true"/> when it was not counted before.</returns>
    internal bool MarkCounted(object usage)
    {
        object key = usage is UsageContent { Details: { } details } ? details : usage;
        lock (_countedUsage)
        {
            if (_countedUsage.TryGetValue(key, out _))
            {
                return false;
            }

            _countedUsage.Add(key, key);
            return true;
        }
    }

    private void RaiseExhaustionChain()
    {
        foreach (BudgetTracker t in _levels)
        {
            t.Events.RaiseExhaustion();
        }
    }
}
