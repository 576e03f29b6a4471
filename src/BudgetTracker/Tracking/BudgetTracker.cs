using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;

namespace Agents.Budget;

/// <summary>
/// Tracks and enforces tool-unit, token, money and wall-clock budgets of one or more agents (BATS Budget Tracker).
/// </summary>
/// <remarks>
/// <para>Thread-safe: one instance may be shared by several agents or sub-agents spending one budget. Units are
/// reserved atomically before a tool runs, committed when it ran and released when it did not, so concurrent
/// calls can never overspend a category.</para>
/// <para>Model calls are held the same way (<see cref="TryReserveModelCall"/>, done for you by <see cref="BudgetChatClient"/>):
/// the prompt's tokens plus the capped output tokens, priced, are reserved before the call and replaced by the actual
/// usage after it, so <see cref="BudgetOptions.MaxInputTokens"/>, <see cref="BudgetOptions.MaxOutputTokens"/> and
/// <see cref="BudgetOptions.MaxCostUsd"/> hold exactly, like unit limits, as long as prompts are counted from above and the
/// model honours its output cap. Usage recorded without a reservation (<see cref="RecordUsage(UsageDetails, string?)"/>)
/// is counted after the fact and can go beyond a limit; the next calls are then refused.</para>
/// <para>Sub-budgets: <see cref="CreateChild"/> gives a stage or sub-agent its own limits inside this tracker's.</para>
/// <para>Integrations: <see cref="BudgetKernelExtensions.UseBudgetTracker(Microsoft.SemanticKernel.Kernel, BudgetTracker)"/> (Semantic Kernel) and
/// <see cref="BudgetChatClientBuilderExtensions.UseBudgetTracker(Microsoft.Extensions.AI.ChatClientBuilder, BudgetTracker, Action{BudgetChatClientOptions})"/> (Microsoft.Extensions.AI).</para>
/// </remarks>
public sealed class BudgetTracker
{
    /// <summary>The sentence every refusal text contains.</summary>
    internal const string RefusalMarker = "The call was not executed because of the budget.";

    private readonly Lock _gate;
    private readonly BudgetTracker? _parent;
    private readonly BudgetTracker[] _levels;
    private readonly long _reserveTokens;
    private readonly decimal _reserveUsd;
    private readonly ConcurrentDictionary<string, CategoryState> _categories = new(CategoryName.Comparer);
    private readonly List<CategoryState> _order = [];
    private readonly ConcurrentDictionary<(string? Plugin, string Function, MethodInfo? Method), ResolvedTool> _tools = new();
    private readonly StringBuilder _blockBuilder = new(256);
    private readonly HashSet<string> _raisedExhaustion = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConditionalWeakTable<object, object> _countedUsage = [];
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly BudgetMetrics _metrics;
    private readonly long? _maxInput;
    private readonly long? _maxOutput;
    private readonly decimal? _maxCost;
    private readonly TimeSpan? _maxDuration;
    private long _start;
    private long _inputTokens;
    private long _outputTokens;
    private long _cachedTokens;
    private decimal _tokenCost;
    private decimal _toolCost;
    private decimal _reservedCost;
    private long _reservedInput;
    private long _reservedOutput;
    private long _priorElapsedTicks;

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
        _gate = parent?._gate ?? new Lock();
        _levels = parent is null ? [this] : [this, .. parent._levels];
        _reserveTokens = options.FinalAnswerReserveTokens;
        _reserveUsd = options.FinalAnswerReserveUsd;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _maxInput = options.MaxInputTokens;
        _maxOutput = options.MaxOutputTokens;
        _maxCost = options.MaxCostUsd;
        _maxDuration = options.MaxDuration;
        foreach (string category in options.ToolLimits.Keys.Concat(options.KnownCategories()))
        {
            GetOrAddCategory(category);
        }

        _start = _timeProvider.GetTimestamp();
    }

    /// <summary>Raised after the units of a call that ran were counted. Handlers run on the caller's thread.</summary>
    public event EventHandler<BudgetChargedEventArgs>? Charged;

    /// <summary>Raised once per limit when it is reached (a category, tokens, cost or time).</summary>
    public event EventHandler<BudgetExhaustedEventArgs>? Exhausted;

    /// <summary>Gets the (frozen) options.</summary>
    public BudgetOptions Options { get; }

    /// <summary>Gets the tracker this one was created from by <see cref="CreateChild"/>; <see langword="null"/> for a root tracker.</summary>
    public BudgetTracker? Parent => _parent;

    /// <summary>Gets the spending regime of the tightest budget.</summary>
    public BudgetRegime Regime
    {
        get
        {
            lock (_gate)
            {
                return RegimeChainCore();
            }
        }
    }

    /// <summary>Gets a value indicating whether any hard limit is reached.</summary>
    /// <remarks>A child tracker (see <see cref="CreateChild"/>) is also exhausted when an ancestor is.</remarks>
    public bool IsExhausted
    {
        get
        {
            lock (_gate)
            {
                return IsExhaustedChainCore();
            }
        }
    }

    /// <summary>Reserves units of a category atomically. Commit the reservation once the call ran; dispose it otherwise.</summary>
    /// <param name="category">The category (case-insensitive, surrounding white space ignored); an unknown one is created unlimited.</param>
    /// <param name="units">The units, 1 or more.</param>
    /// <returns>A granted reservation, or a denied one whose <see cref="BudgetReservation.DeniedReason"/> names the exhausted budget.</returns>
    public BudgetReservation TryReserve(string category, int units)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        CategoryState state = GetOrAddCategory(category);
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
    /// </remarks>
    /// <param name="promptTokens">The prompt's input tokens, counted or conservatively estimated (see <see cref="PromptTokenEstimator"/>).</param>
    /// <param name="maxOutputTokens">The request's own output-token cap, if any.</param>
    /// <param name="modelId">The model, for its prices.</param>
    /// <param name="finalAnswer">Whether this call is the agent's final answer, which may use the final-answer reserve.</param>
    /// <returns>A granted reservation to commit with the call's usage (or release when the call failed), or a denied one
    /// whose <see cref="BudgetModelReservation.DeniedReason"/> says which budget it does not fit.</returns>
    public BudgetModelReservation TryReserveModelCall(long promptTokens, int? maxOutputTokens, string? modelId, bool finalAnswer = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        if (maxOutputTokens is { } requested)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(requested, 1, nameof(maxOutputTokens));
        }

        string? reason = TryReserveModelCore(promptTokens, maxOutputTokens, Options.Pricing.GetModelPrice(modelId), finalAnswer, out long? cap, out decimal cost);
        if (reason is not null)
        {
            _metrics.Denied.Add(1, new KeyValuePair<string, object?>("category", "model"));
            BudgetLog.Denied(_logger, modelId ?? "model", reason);
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

        return new BudgetTracker(limits, _timeProvider, _logger, _metrics, this);
    }

    /// <summary>Resolves the category of a tool: the first matching <see cref="BudgetOptions.ToolMappings"/> entry, else its
    /// <see cref="BudgetCategoryAttribute"/>, else <see cref="BudgetOptions.DefaultCategory"/>.</summary>
    /// <param name="pluginName">The plugin name, if any.</param>
    /// <param name="functionName">The function name (or the full <c>plugin_function</c> name).</param>
    /// <param name="method">The method behind the function, to read its attribute.</param>
    /// <returns>The category name.</returns>
    public string ResolveCategory(string? pluginName, string functionName, MethodInfo? method = null) =>
        Resolve(pluginName, functionName, method).Category.Name;

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
        int units = UnitCounting.Count(Resolve(pluginName, functionName, method), arguments, out string? error);
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
        (string? plugin, string name) = NameOf(function);
        ResolvedTool tool = Resolve(plugin, name, function.UnderlyingMethod);
        int units = UnitCounting.Count(tool, arguments, out string? error);
        if (error is not null)
        {
            BudgetLog.BadArguments(_logger, tool.DisplayName, error);
            return new BudgetedToolResult(AppendBudgetBlock(error), false, 0, tool.Category.Name, false, error, null);
        }

        if (!TryReserveCore(tool.Category, units, tool.DisplayName, out string? reason))
        {
            return new BudgetedToolResult(AppendBudgetBlock(reason), false, units, tool.Category.Name, true, reason, null);
        }

        object? raw;
        var charge = new ToolChargeContext(tool.Category.Name, units);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (ToolChargeContext.Enter(charge))
            {
                raw = await function.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            charge.Close();
            ReleaseCore(tool.Category, units);
            throw;
        }

        int refunded = charge.Close();
        CommitCore(tool.Category, units, refunded, tool.DisplayName);
        return new BudgetedToolResult(AppendBudgetBlock(raw), true, units - refunded, tool.Category.Name, IsExhausted, null, raw);
    }

    /// <summary>Records the tokens of one model response.</summary>
    /// <param name="usage">The usage.</param>
    /// <param name="modelId">The model, for its prices.</param>
    /// <exception cref="ArgumentException">A count is negative, or cached tokens exceed input tokens.</exception>
    public void RecordUsage(UsageDetails usage, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        (long input, long output, long cached) = UsageReader.Read(usage);
        RecordCore(input, output, cached, modelId);
    }

    /// <summary>Records the tokens of one model response given as <see cref="UsageDetails"/>, <see cref="UsageContent"/> or <c>OpenAI.Chat.ChatTokenUsage</c>.</summary>
    /// <param name="usage">The usage object.</param>
    /// <param name="modelId">The model, for its prices.</param>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is null.</exception>
    /// <exception cref="ArgumentException">The object is of another type, or malformed.</exception>
    public void RecordUsage(object? usage, string? modelId = null)
    {
        ArgumentNullException.ThrowIfNull(usage);
        (long input, long output, long cached) = UsageReader.Read(usage);
        RecordCore(input, output, cached, modelId);
    }

    /// <summary>Gets a value indicating whether this tracker or an ancestor limits input tokens, output tokens or money.</summary>
    internal bool HasModelLimits => _levels.Any(t => t._maxInput is not null || t._maxOutput is not null || t._maxCost is not null);

    /// <summary>Gets the request scope of the <see cref="BudgetChatClient"/> layers on this tracker in the current async flow.</summary>
    internal AsyncLocal<UsageScope?> UsageScopes { get; } = new();

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
    /// Records a usage object that a chat-client layer or the kernel filter saw, unless this tracker already recorded that
    /// very object: the same <see cref="UsageDetails"/> passing two layers (or a layer and the filter) is counted once.
    /// </summary>
    /// <returns><see langword="true"/> when it was recorded now.</returns>
    internal bool RecordUsageOnce(object usage, string? modelId)
    {
        if (!MarkCounted(usage))
        {
            return false;
        }

        RecordUsage(usage, modelId);
        return true;
    }

    /// <summary>Takes an immutable snapshot of the state.</summary>
    /// <returns>The snapshot.</returns>
    public BudgetSnapshot GetSnapshot()
    {
        TimeSpan elapsed = Elapsed();
        lock (_gate)
        {
            var categories = new BudgetCategorySnapshot[_order.Count];
            for (int i = 0; i < categories.Length; i++)
            {
                CategoryState c = _order[i];
                categories[i] = new BudgetCategorySnapshot(c.Name, c.Used, c.Limit, c.Limit is { } l ? Math.Max(0, l - c.Used) : null, c.Spent - c.Used, c.Used * c.UnitPrice);
            }

            return new BudgetSnapshot(categories, _inputTokens, _outputTokens, _cachedTokens, _tokenCost, _toolCost, elapsed, ExhaustedReasonsCore(elapsed), RemainingFractionCore(elapsed), RegimeCore(elapsed));
        }
    }

    /// <summary>
    /// Returns what this tracker has spent (committed units, tokens, money, elapsed time, restored spend included),
    /// to be stored and handed to <see cref="RestoreSpend"/> of a tracker in a later process.
    /// </summary>
    /// <returns>The spend; categories without committed units are left out.</returns>
    public BudgetSpend GetSpend()
    {
        TimeSpan elapsed = Elapsed();
        lock (_gate)
        {
            var units = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (CategoryState c in _order)
            {
                if (c.Used > 0)
                {
                    units[c.Name] = c.Used;
                }
            }

            return new BudgetSpend
            {
                Units = units,
                InputTokens = _inputTokens,
                OutputTokens = _outputTokens,
                CachedInputTokens = _cachedTokens,
                TokenCostUsd = _tokenCost,
                ToolCostUsd = _toolCost,
                Elapsed = elapsed,
            };
        }
    }

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
    public BudgetRestoreResult RestoreSpend(BudgetSpend prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (prior.Units is null)
        {
            throw new ArgumentException($"{nameof(BudgetSpend)}.{nameof(BudgetSpend.Units)} must not be null.", nameof(prior));
        }

        NotNegative(prior.InputTokens, nameof(BudgetSpend.InputTokens));
        NotNegative(prior.OutputTokens, nameof(BudgetSpend.OutputTokens));
        NotNegative(prior.CachedInputTokens, nameof(BudgetSpend.CachedInputTokens));
        NotNegative(prior.TokenCostUsd, nameof(BudgetSpend.TokenCostUsd));
        NotNegative(prior.ToolCostUsd, nameof(BudgetSpend.ToolCostUsd));
        NotNegative(prior.Elapsed.Ticks, nameof(BudgetSpend.Elapsed));
        if (prior.CachedInputTokens > prior.InputTokens)
        {
            throw new ArgumentException(
                $"{nameof(BudgetSpend)}.{nameof(BudgetSpend.CachedInputTokens)} ({prior.CachedInputTokens}) must not exceed {nameof(BudgetSpend.InputTokens)} ({prior.InputTokens}).",
                nameof(prior));
        }

        var states = new List<(CategoryState State, long Units)>(prior.Units.Count);
        foreach ((string name, long units) in prior.Units)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"{nameof(BudgetSpend)}.{nameof(BudgetSpend.Units)} has an empty category name.", nameof(prior));
            }

            NotNegative(units, $"{nameof(BudgetSpend.Units)}[{name}]");
            if (!_categories.TryGetValue(name.Trim(), out CategoryState? state))
            {
                throw new ArgumentException(
                    $"The spend to restore has units of the category '{name}', which this tracker does not know (known: {string.Join(", ", _categories.Keys.Order(StringComparer.OrdinalIgnoreCase))}); configure it with BudgetOptions.SetToolLimit or a tool mapping.",
                    nameof(prior));
            }

            states.Add((state, units));
        }

        TimeSpan elapsed;
        lock (_gate)
        {
            foreach ((CategoryState state, long units) in states)
            {
                state.Used += units;
                state.Spent += units;
            }

            _inputTokens += prior.InputTokens;
            _outputTokens += prior.OutputTokens;
            _cachedTokens += prior.CachedInputTokens;
            _tokenCost += prior.TokenCostUsd;
            _toolCost += prior.ToolCostUsd;
            Interlocked.Add(ref _priorElapsedTicks, prior.Elapsed.Ticks);
            elapsed = Elapsed();
        }

        BudgetLog.Restored(_logger, prior.InputTokens, prior.OutputTokens, prior.TokenCostUsd + prior.ToolCostUsd);
        RaiseExhaustion(elapsed);
        BudgetRestoreResult result;
        lock (_gate)
        {
            result = new BudgetRestoreResult(IsExhaustedCore(elapsed), ExhaustedReasonsCore(elapsed), OverrunsCore(elapsed));
        }

        if (result.IsOverLimit)
        {
            BudgetLog.RestoredOverLimit(_logger, result.ToString());
        }

        return result;

        static void NotNegative(decimal value, string name)
        {
            if (value < 0)
            {
                throw new ArgumentException($"{nameof(BudgetSpend)}.{name} must not be negative (was {value}).", nameof(prior));
            }
        }
    }

    /// <summary>Formats the budget block shown after every tool result, from <see cref="BudgetOptions.BudgetBlockTemplate"/>.</summary>
    /// <returns>For example <c>&lt;budget&gt;\nSearch used: 3, remaining: 7\nRegime: HIGH\n&lt;/budget&gt;</c>.</returns>
    public string FormatBudgetBlock() => FormatBlockCore(null);

    /// <summary>Returns the result as text, a new line and the budget block, as one string.</summary>
    internal string AppendBudgetBlock(object? result)
    {
        string text = ToolResultText.ToText(result);
        return FormatBlockCore(text.Length == 0 ? null : text);
    }

    private string FormatBlockCore(string? prefix)
    {
        TimeSpan elapsed = Elapsed();
        string template = Options.BudgetBlockTemplate;
        lock (_gate)
        {
            // One reused builder under the lock: the returned string is the only allocation.
            StringBuilder sb = _blockBuilder.Clear();
            if (prefix is not null)
            {
                sb.Append(prefix).Append('\n');
            }

            int i = 0;
            while (i < template.Length)
            {
                int open = template.IndexOf('{', i);
                if (open < 0)
                {
                    sb.Append(template, i, template.Length - i);
                    break;
                }

                sb.Append(template, i, open - i);
                ReadOnlySpan<char> rest = template.AsSpan(open);
                if (rest.StartsWith("{lines}", StringComparison.Ordinal))
                {
                    AppendLines(sb, elapsed);
                    i = open + "{lines}".Length;
                }
                else if (rest.StartsWith("{regime}", StringComparison.Ordinal))
                {
                    sb.Append(RegimeName(RegimeCore(elapsed)));
                    i = open + "{regime}".Length;
                }
                else if (rest.StartsWith("{remaining_percent}", StringComparison.Ordinal))
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{RemainingFractionCore(elapsed) * 100:0}");
                    i = open + "{remaining_percent}".Length;
                }
                else
                {
                    sb.Append('{');
                    i = open + 1;
                }
            }

            string text = sb.ToString();
            if (sb.Capacity > 16 * 1024)
            {
                // Drop a large buffer kept for reuse; it must be empty before it can shrink.
                sb.Clear();
                sb.Capacity = 256;
            }

            return text;
        }
    }

    /// <summary>Formats the system-prompt guideline describing the spending regimes, from <see cref="BudgetOptions.GuidelineTemplate"/>.</summary>
    /// <returns>The guideline text.</returns>
    public string FormatGuideline()
    {
        TimeSpan elapsed = Elapsed();
        var limits = new StringBuilder();
        BudgetRegime regime;
        double fraction;
        lock (_gate)
        {
            foreach (CategoryState c in _order)
            {
                if (c.Limit is { } l)
                {
                    AppendLimit(limits, $"{c.Name} {l} units");
                }
            }

            regime = RegimeCore(elapsed);
            fraction = RemainingFractionCore(elapsed);
        }

        if (_maxInput is { } mi)
        {
            AppendLimit(limits, $"{mi} input tokens");
        }

        if (_maxOutput is { } mo)
        {
            AppendLimit(limits, $"{mo} output tokens");
        }

        if (_maxCost is { } mc)
        {
            AppendLimit(limits, string.Create(CultureInfo.InvariantCulture, $"${mc:0.####}"));
        }

        if (_maxDuration is { } md)
        {
            AppendLimit(limits, string.Create(CultureInfo.InvariantCulture, $"{md.TotalSeconds:0} seconds"));
        }

        if (limits.Length == 0)
        {
            limits.Append("no fixed limits");
        }

        return ApplyTemplate(Options.GuidelineTemplate, "{limits}", limits.ToString(), regime, fraction);
    }

    /// <summary>Starts a new run: clears all counters and restarts the clock. Calls in flight keep their reservations.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            foreach (CategoryState c in _order)
            {
                c.Spent -= c.Used;
                c.Used = 0;
            }

            _inputTokens = _outputTokens = _cachedTokens = 0;
            _tokenCost = _toolCost = 0;
            Interlocked.Exchange(ref _priorElapsedTicks, 0);
            _raisedExhaustion.Clear();
            _start = _timeProvider.GetTimestamp();
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
        if (!_categories.TryGetValue(category, out CategoryState? state))
        {
            throw new InvalidOperationException($"The category '{category}' is unknown to this tracker.");
        }

        long limit;
        lock (_gate)
        {
            if (state.Limit is not { } old)
            {
                throw new InvalidOperationException($"The category '{category}' has no limit to extend.");
            }

            limit = checked(old + units);
            state.Limit = limit;
            _raisedExhaustion.Remove(state.Name);
        }

        BudgetLog.Extended(_logger, state.Name, units, limit);
        return limit;
    }

    internal static (string? Plugin, string Name) NameOf(AIFunction function) =>
        function is KernelFunction kf ? (kf.PluginName, kf.Name) : (null, function.Name);

    internal ResolvedTool Resolve(string? pluginName, string functionName, MethodInfo? method)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        if (_tools.TryGetValue((pluginName, functionName, method), out ResolvedTool? tool))
        {
            return tool;
        }

        return _tools.GetOrAdd((pluginName, functionName, method), static (key, self) => self.ResolveUncached(key.Plugin, key.Function, key.Method), this);
    }

    internal bool TryReserveCore(CategoryState state, int units, string? function, out string? reason)
    {
        decimal cost = units * state.UnitPrice;
        lock (_gate)
        {
            reason = null;
            CategoryState? s = state;
            for (int i = 0; i < _levels.Length && reason is null; i++, s = s?.Parent)
            {
                BudgetTracker t = _levels[i];
                reason = t.DenyReasonCore(s!, units, cost, t._maxDuration is null ? TimeSpan.Zero : t.Elapsed());
                if (reason is not null && i > 0)
                {
                    reason = "The parent budget does not allow this call: " + reason;
                }
            }

            if (reason is null)
            {
                s = state;
                foreach (BudgetTracker t in _levels)
                {
                    s!.Spent += units;
                    t._reservedCost += cost;
                    s = s.Parent;
                }

                return true;
            }
        }

        _metrics.Denied.Add(1, new KeyValuePair<string, object?>("category", state.Name));
        BudgetLog.Denied(_logger, function, reason);
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
        decimal cost = units * state.UnitPrice;
        long used;
        lock (_gate)
        {
            CategoryState? s = state;
            foreach (BudgetTracker t in _levels)
            {
                s!.Used += units;
                t._reservedCost -= cost;
                t._toolCost += cost;
                s = s.Parent;
            }

            used = state.Used;
        }

        _metrics.Units.Add(units, new KeyValuePair<string, object?>("category", state.Name));
        if (cost != 0)
        {
            _metrics.Cost.Add((double)cost, new KeyValuePair<string, object?>("source", "tool"));
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            BudgetLog.Charged(_logger, units, state.Name, function, used, state.Limit?.ToString(CultureInfo.InvariantCulture) ?? "unlimited");
        }

        Charged?.Invoke(this, new BudgetChargedEventArgs(state.Name, units, cost, used, state.Limit, function));
        RaiseExhaustionChain();
    }

    internal void ReleaseCore(CategoryState state, int units)
    {
        lock (_gate)
        {
            CategoryState? s = state;
            foreach (BudgetTracker t in _levels)
            {
                s!.Spent -= units;
                t._reservedCost -= units * state.UnitPrice;
                s = s.Parent;
            }
        }

        BudgetLog.Released(_logger, units, state.Name);
    }

    private void AppendLines(StringBuilder sb, TimeSpan elapsed)
    {
        int start = sb.Length;
        foreach (CategoryState c in _order)
        {
            if (c.Limit is { } limit)
            {
                AppendLine(sb, start, c.DisplayName, c.Used, limit - c.Used);
            }
            else if (c.Used > 0)
            {
                AppendLine(sb, start, c.DisplayName, c.Used, null);
            }
        }

        if (_maxInput is { } mi)
        {
            AppendLine(sb, start, "Input tokens", _inputTokens, mi - _inputTokens);
        }

        if (_maxOutput is { } mo)
        {
            AppendLine(sb, start, "Output tokens", _outputTokens, mo - _outputTokens);
        }

        if (_maxCost is { } mc)
        {
            decimal cost = _tokenCost + _toolCost;
            Separate(sb, start);
            sb.Append(CultureInfo.InvariantCulture, $"Cost used: ${cost:0.####}, remaining: ${Math.Max(0, mc - cost):0.####}");
        }

        if (_maxDuration is { } md)
        {
            Separate(sb, start);
            sb.Append(CultureInfo.InvariantCulture, $"Time used: {elapsed.TotalSeconds:0}s, remaining: {Math.Max(0, (md - elapsed).TotalSeconds):0}s");
        }

        if (sb.Length == start)
        {
            sb.Append("No budget limits set.");
        }
    }

    private static void AppendLine(StringBuilder sb, int start, string name, long used, long? remaining)
    {
        Separate(sb, start);
        sb.Append(name).Append(" used: ").Append(used);
        if (remaining is { } r)
        {
            sb.Append(", remaining: ").Append(Math.Max(0, r));
        }
    }

    private static void Separate(StringBuilder sb, int start)
    {
        if (sb.Length > start)
        {
            sb.Append('\n');
        }
    }

    private static void AppendLimit(StringBuilder sb, string text)
    {
        if (sb.Length > 0)
        {
            sb.Append(", ");
        }

        sb.Append(text);
    }

    private static string ApplyTemplate(string template, string placeholder, string value, BudgetRegime regime, double fraction) =>
        template
            .Replace(placeholder, value, StringComparison.Ordinal)
            .Replace("{regime}", RegimeName(regime), StringComparison.Ordinal)
            .Replace("{remaining_percent}", (fraction * 100).ToString("0", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static string RegimeName(BudgetRegime regime) => regime switch
    {
        BudgetRegime.High => "HIGH",
        BudgetRegime.Medium => "MEDIUM",
        BudgetRegime.Low => "LOW",
        _ => "CRITICAL",
    };

    private ResolvedTool ResolveUncached(string? pluginName, string functionName, MethodInfo? method)
    {
        string display = string.IsNullOrEmpty(pluginName) ? functionName : $"{pluginName}_{functionName}";
        foreach (ToolMapping mapping in Options.Mappings)
        {
            if (mapping.Matches(pluginName, functionName))
            {
                return new ResolvedTool(GetOrAddCategory(mapping.Category), mapping.UnitsArgument, mapping.UnitCounter, display);
            }
        }

        if (method?.GetCustomAttribute<BudgetCategoryAttribute>(inherit: true) is { } attribute)
        {
            if (attribute.UnitsArgument is { } arg && !method.GetParameters().Any(p => string.Equals(p.Name, arg, StringComparison.Ordinal)))
            {
                throw new BudgetConfigurationException(
                    $"[BudgetCategory(\"{attribute.Category}\", UnitsArgument = \"{arg}\")] on {method.DeclaringType?.Name}.{method.Name} names an argument the method does not have.");
            }

            return new ResolvedTool(GetOrAddCategory(attribute.Category), attribute.UnitsArgument, null, display);
        }

        return new ResolvedTool(GetOrAddCategory(Options.DefaultCategory), null, null, display);
    }

    private CategoryState GetOrAddCategory(string category)
    {
        category = CategoryName.Normalize(category, nameof(category));
        if (_categories.TryGetValue(category, out CategoryState? state))
        {
            return state;
        }

        CategoryState? parentState = _parent?.GetOrAddCategory(category);
        lock (_gate)
        {
            if (_categories.TryGetValue(category, out state))
            {
                return state;
            }

            long? limit = Options.ToolLimits.TryGetValue(category, out long l) ? l : null;
            state = new CategoryState(category, limit, Options.Pricing.GetUnitPrice(category), parentState);
            _order.Add(state);
            _categories[category] = state;
            return state;
        }
    }

    private void RecordCore(long input, long output, long cached, string? modelId) =>
        RecordCore(input, output, cached, Options.Pricing.GetModelPrice(modelId).Cost(input, output, cached), modelId, null);

    /// <summary>Adds usage to this tracker and its ancestors, giving back <paramref name="hold"/> in the same step.</summary>
    internal void RecordCore(long input, long output, long cached, decimal cost, string? modelId, BudgetModelReservation? hold)
    {
        lock (_gate)
        {
            foreach (BudgetTracker t in _levels)
            {
                if (hold is not null)
                {
                    t._reservedInput -= hold.PromptTokens;
                    t._reservedOutput -= hold.ReservedOutputTokens;
                    t._reservedCost -= hold.ReservedCostUsd;
                }

                t._inputTokens += input;
                t._outputTokens += output;
                t._cachedTokens += cached;
                t._tokenCost += cost;
            }
        }

        _metrics.Tokens.Add(input, new KeyValuePair<string, object?>("direction", "input"));
        _metrics.Tokens.Add(output, new KeyValuePair<string, object?>("direction", "output"));
        _metrics.Tokens.Add(cached, new KeyValuePair<string, object?>("direction", "cached_input"));
        if (cost != 0)
        {
            _metrics.Cost.Add((double)cost, new KeyValuePair<string, object?>("source", "model"));
        }

        BudgetLog.Usage(_logger, modelId, input, cached, output, cost);
        RaiseExhaustionChain();
    }

    /// <summary>Reserves one model call's worst case on this tracker and its ancestors; see <see cref="TryReserveModelCall"/>.</summary>
    /// <returns>The reason it does not fit, or <see langword="null"/> when reserved.</returns>
    internal string? TryReserveModelCore(long prompt, int? requested, BudgetModelPrice price, bool final, out long? cap, out decimal cost)
    {
        decimal inPrice = Math.Max(price.InputPerMillionTokens, price.CachedInputPerMillionTokens) / 1_000_000m;
        decimal outPrice = price.OutputPerMillionTokens / 1_000_000m;
        decimal promptCost = prompt * inPrice;
        cap = requested;
        cost = 0;
        lock (_gate)
        {
            for (int i = 0; i < _levels.Length; i++)
            {
                string? reason = _levels[i].ModelDenyReasonCore(prompt, promptCost, outPrice, final, ref cap);
                if (reason is not null)
                {
                    return i == 0 ? reason : "The parent budget does not allow this model call: " + reason;
                }
            }

            long output = cap ?? 0;
            cost = promptCost + (output * outPrice);
            foreach (BudgetTracker t in _levels)
            {
                t._reservedInput += prompt;
                t._reservedOutput += output;
                t._reservedCost += cost;
            }
        }

        return null;
    }

    /// <summary>Gives back a model call's reservation on this tracker and its ancestors.</summary>
    internal void ReleaseModelCore(BudgetModelReservation hold)
    {
        lock (_gate)
        {
            foreach (BudgetTracker t in _levels)
            {
                t._reservedInput -= hold.PromptTokens;
                t._reservedOutput -= hold.ReservedOutputTokens;
                t._reservedCost -= hold.ReservedCostUsd;
            }
        }
    }

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

    private string? ModelDenyReasonCore(long prompt, decimal promptCost, decimal outPrice, bool final, ref long? cap)
    {
        const string Prefix = "The model call does not fit the budget: ";
        TimeSpan elapsed = _maxDuration is null ? TimeSpan.Zero : Elapsed();
        if (_maxDuration is { } md && elapsed >= md)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Prefix}the time budget is exhausted ({elapsed.TotalSeconds:0}s of {md.TotalSeconds:0}s).");
        }

        long heldTokens = final ? 0 : _reserveTokens;
        string held = heldTokens > 0 ? $" ({heldTokens} are held back for the final answer)" : string.Empty;
        if (_maxInput is { } mi)
        {
            long left = mi - _inputTokens - _reservedInput - heldTokens;
            if (prompt > left)
            {
                return $"{Prefix}its prompt counts {prompt} input tokens but {Math.Max(0, left)} of {mi} are left{held}.";
            }
        }

        if (_maxOutput is { } mo)
        {
            long left = mo - _outputTokens - _reservedOutput - heldTokens;
            if (left < 1)
            {
                return $"{Prefix}no output tokens are left of {mo}{held}.";
            }

            cap = Math.Min(cap ?? left, left);
        }

        if (_maxCost is { } mc)
        {
            decimal heldUsd = final ? 0 : _reserveUsd;
            decimal left = mc - _tokenCost - _toolCost - _reservedCost - heldUsd - promptCost;
            string heldText = heldUsd > 0 ? string.Create(CultureInfo.InvariantCulture, $" (${heldUsd:0.####} is held back for the final answer)") : string.Empty;
            if (left < 0 || (outPrice > 0 && left < outPrice))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{Prefix}its prompt and at least one output token cost more than the ${Math.Max(0, left + promptCost):0.######} left of ${mc:0.####}{heldText}.");
            }

            if (outPrice > 0)
            {
                long byMoney = (long)Math.Min(decimal.Floor(left / outPrice), int.MaxValue);
                cap = Math.Min(cap ?? byMoney, byMoney);
            }
        }

        return cap is < 1 ? $"{Prefix}the request allows no output tokens." : null;
    }

    private bool IsExhaustedChainCore()
    {
        foreach (BudgetTracker t in _levels)
        {
            if (t.IsExhaustedCore(t.Elapsed()))
            {
                return true;
            }
        }

        return false;
    }

    private BudgetRegime RegimeChainCore()
    {
        if (IsExhaustedChainCore())
        {
            return BudgetRegime.Critical;
        }

        double f = 1;
        foreach (BudgetTracker t in _levels)
        {
            f = Math.Min(f, t.RemainingFractionCore(t.Elapsed()));
        }

        return Options.RegimeThresholds.RegimeOf(f);
    }

    private void RaiseExhaustionChain()
    {
        foreach (BudgetTracker t in _levels)
        {
            t.RaiseExhaustion(t.Elapsed());
        }
    }

    private TimeSpan Elapsed() =>
        _timeProvider.GetElapsedTime(Volatile.Read(ref _start)) + TimeSpan.FromTicks(Volatile.Read(ref _priorElapsedTicks));

    private string? DenyReasonCore(CategoryState state, int units, decimal callCost, TimeSpan elapsed)
    {
        if (_maxInput is { } mi && _inputTokens >= mi - _reserveTokens)
        {
            return $"The input token budget is exhausted ({_inputTokens} of {mi} used{HeldTokens()}). {RefusalMarker} Do not call any more tools; give your final answer now.";
        }

        if (_maxOutput is { } mo && _outputTokens >= mo - _reserveTokens)
        {
            return $"The output token budget is exhausted ({_outputTokens} of {mo} used{HeldTokens()}). {RefusalMarker} Do not call any more tools; give your final answer now.";
        }

        if (_maxDuration is { } md && elapsed >= md)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The time budget is exhausted ({elapsed.TotalSeconds:0}s of {md.TotalSeconds:0}s). {RefusalMarker} Do not call any more tools; give your final answer now.");
        }

        if (state.Limit is { } limit && state.Spent + units > limit)
        {
            long left = limit - state.Spent;
            return left <= 0
                ? $"The {state.Name} budget is exhausted ({state.Used} of {limit} units used{InFlight(state)}). {RefusalMarker} Do not call {state.Name} tools again; use another tool or give your final answer now."
                : $"The {state.Name} budget has {left} unit(s) left but this call needs {units}. {RefusalMarker} Use at most {left} item(s) per call, or give your final answer now.";
        }

        if (_maxCost is { } mc)
        {
            decimal cost = _tokenCost + _toolCost + _reservedCost;
            if (cost >= mc || (callCost > 0 && cost + callCost > mc - _reserveUsd))
            {
                return string.Create(CultureInfo.InvariantCulture, $"The money budget does not allow this call (${cost:0.####} of ${mc:0.####} spent, the call costs ${callCost:0.####}). {RefusalMarker} Do not call any more tools; give your final answer now.");
            }
        }

        return null;
    }

    private string HeldTokens() => _reserveTokens > 0 ? $", {_reserveTokens} held back for the final answer" : string.Empty;

    private static string InFlight(CategoryState state) =>
        state.Spent > state.Used ? $", {state.Spent - state.Used} more held by calls in flight" : string.Empty;

    private bool IsExhaustedCore(TimeSpan elapsed)
    {
        foreach (CategoryState c in _order)
        {
            if (c.Limit is { } l && c.Used >= l)
            {
                return true;
            }
        }

        return (_maxInput is { } mi && _inputTokens >= mi)
            || (_maxOutput is { } mo && _outputTokens >= mo)
            || (_maxCost is { } mc && _tokenCost + _toolCost >= mc)
            || (_maxDuration is { } md && elapsed >= md);
    }

    private List<(string Budget, string Reason)> ExhaustedCore(TimeSpan elapsed)
    {
        var reasons = new List<(string, string)>();
        foreach (CategoryState c in _order)
        {
            if (c.Limit is { } l && c.Used >= l)
            {
                reasons.Add((c.Name, $"{c.Name} budget exhausted ({c.Used} of {l} units used)"));
            }
        }

        if (_maxInput is { } mi && _inputTokens >= mi)
        {
            reasons.Add(("input tokens", $"input token budget exhausted ({_inputTokens} of {mi} used)"));
        }

        if (_maxOutput is { } mo && _outputTokens >= mo)
        {
            reasons.Add(("output tokens", $"output token budget exhausted ({_outputTokens} of {mo} used)"));
        }

        if (_maxCost is { } mc && _tokenCost + _toolCost >= mc)
        {
            reasons.Add(("cost", string.Create(CultureInfo.InvariantCulture, $"money budget exhausted (${_tokenCost + _toolCost:0.####} of ${mc:0.####} spent)")));
        }

        if (_maxDuration is { } md && elapsed >= md)
        {
            reasons.Add(("time", string.Create(CultureInfo.InvariantCulture, $"time budget exhausted ({elapsed.TotalSeconds:0}s of {md.TotalSeconds:0}s)")));
        }

        return reasons;
    }

    private List<BudgetOverrun> OverrunsCore(TimeSpan elapsed)
    {
        var overruns = new List<BudgetOverrun>();
        foreach (CategoryState c in _order)
        {
            if (c.Limit is { } l && c.Used > l)
            {
                overruns.Add(new BudgetOverrun(c.Name, c.Used, l));
            }
        }

        if (_maxInput is { } mi && _inputTokens > mi)
        {
            overruns.Add(new BudgetOverrun("input tokens", _inputTokens, mi));
        }

        if (_maxOutput is { } mo && _outputTokens > mo)
        {
            overruns.Add(new BudgetOverrun("output tokens", _outputTokens, mo));
        }

        if (_maxCost is { } mc && _tokenCost + _toolCost > mc)
        {
            overruns.Add(new BudgetOverrun("cost", _tokenCost + _toolCost, mc));
        }

        if (_maxDuration is { } md && elapsed > md)
        {
            overruns.Add(new BudgetOverrun("time", (decimal)elapsed.TotalSeconds, (decimal)md.TotalSeconds));
        }

        return overruns;
    }

    private string[] ExhaustedReasonsCore(TimeSpan elapsed) => ExhaustedCore(elapsed).Select(r => r.Reason).ToArray();

    private double RemainingFractionCore(TimeSpan elapsed)
    {
        double fraction = 1;
        foreach (CategoryState c in _order)
        {
            if (c.Limit is { } l)
            {
                fraction = Math.Min(fraction, (double)(l - c.Used) / l);
            }
        }

        if (_maxInput is { } mi)
        {
            fraction = Math.Min(fraction, (double)(mi - _inputTokens) / mi);
        }

        if (_maxOutput is { } mo)
        {
            fraction = Math.Min(fraction, (double)(mo - _outputTokens) / mo);
        }

        if (_maxCost is { } mc)
        {
            fraction = Math.Min(fraction, (double)((mc - _tokenCost - _toolCost) / mc));
        }

        if (_maxDuration is { } md)
        {
            fraction = Math.Min(fraction, (md - elapsed) / md);
        }

        return Math.Clamp(fraction, 0, 1);
    }

    private BudgetRegime RegimeCore(TimeSpan elapsed)
    {
        if (IsExhaustedCore(elapsed))
        {
            return BudgetRegime.Critical;
        }

        double f = RemainingFractionCore(elapsed);
        return Options.RegimeThresholds.RegimeOf(f);
    }

    private void RaiseExhaustion(TimeSpan elapsed)
    {
        List<(string Budget, string Reason)> fresh;
        lock (_gate)
        {
            if (!IsExhaustedCore(elapsed))
            {
                return;
            }

            fresh = ExhaustedCore(elapsed);
            fresh.RemoveAll(r => !_raisedExhaustion.Add(r.Budget));
        }

        foreach ((string budget, string reason) in fresh)
        {
            _metrics.Exhausted.Add(1, new KeyValuePair<string, object?>("budget", budget));
            BudgetLog.Exhausted(_logger, reason);
            Exhausted?.Invoke(this, new BudgetExhaustedEventArgs(budget, reason));
        }
    }
}
