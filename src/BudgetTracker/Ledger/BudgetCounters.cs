using System.Collections.Concurrent;

namespace Agents.Budget;

/// <summary>
/// The ledger of one tracker level: its counters (units per category, tokens, money, reservations in flight, the
/// clock) and the lock it shares with its ancestors and descendants. Every change is one atomic step on this level
/// and all its ancestors, checked against each level's <see cref="BudgetLimits"/> first.
/// </summary>
/// <remarks>The counter properties are read and written under <see cref="Gate"/> only.</remarks>
internal sealed class BudgetCounters
{
    private readonly ConcurrentDictionary<string, CategoryState> _categories = new(CategoryName.Comparer);
    private readonly List<CategoryState> _order = [];
    private readonly TimeProvider _time;
    private long _start;
    private long _priorElapsedTicks;

    public BudgetCounters(BudgetOptions options, TimeProvider time, BudgetCounters? parent)
    {
        Options = options;
        Limits = new BudgetLimits(options);
        Parent = parent;
        Gate = parent?.Gate ?? new Lock();
        Levels = parent is null ? [this] : [this, .. parent.Levels];
        _time = time;
        foreach (string category in options.ToolLimits.Keys.Concat(options.KnownCategories()))
        {
            GetOrAddCategory(category);
        }

        _start = _time.GetTimestamp();
    }

    public BudgetOptions Options { get; }

    public BudgetLimits Limits { get; }

    public BudgetCounters? Parent { get; }

    /// <summary>Gets this level, then its parent, up to the root.</summary>
    public BudgetCounters[] Levels { get; }

    /// <summary>Gets the lock of the whole tree of trackers.</summary>
    public Lock Gate { get; }

    /// <summary>Gets the categories in the order they became known.</summary>
    public IReadOnlyList<CategoryState> Categories => _order;

    public IEnumerable<string> CategoryNames => _categories.Keys;

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    public long CachedTokens { get; private set; }

    public decimal TokenCostUsd { get; private set; }

    public decimal ToolCostUsd { get; private set; }

    /// <summary>Gets the unified cost spent: tokens plus tool units.</summary>
    public decimal CostUsd => TokenCostUsd + ToolCostUsd;

    public decimal ReservedCostUsd { get; private set; }

    public long ReservedInputTokens { get; private set; }

    public long ReservedOutputTokens { get; private set; }

    /// <summary>Gets the time since the start (or reset), restored time included.</summary>
    public TimeSpan Elapsed() =>
        _time.GetElapsedTime(Volatile.Read(ref _start)) + TimeSpan.FromTicks(Volatile.Read(ref _priorElapsedTicks));

    /// <summary>Gets the elapsed time when it matters to the limits, else zero (no clock read).</summary>
    public TimeSpan ElapsedIfLimited() => Limits.HasTimeLimit ? Elapsed() : TimeSpan.Zero;

    public bool TryGetCategory(string name, out CategoryState? state) => _categories.TryGetValue(name.Trim(), out state);

    public CategoryState GetOrAddCategory(string category)
    {
        category = CategoryName.Normalize(category, nameof(category));
        if (_categories.TryGetValue(category, out CategoryState? state))
        {
            return state;
        }

        CategoryState? parentState = Parent?.GetOrAddCategory(category);
        lock (Gate)
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

    /// <summary>Takes an immutable picture of this level.</summary>
    public BudgetSnapshot Snapshot()
    {
        TimeSpan elapsed = Elapsed();
        lock (Gate)
        {
            var categories = new BudgetCategorySnapshot[_order.Count];
            for (int i = 0; i < categories.Length; i++)
            {
                CategoryState s = _order[i];
                categories[i] = new BudgetCategorySnapshot(s.Name, s.Used, s.Limit, s.Limit is { } l ? Math.Max(0, l - s.Used) : null, s.Spent - s.Used, s.Used * s.UnitPrice);
            }

            return new BudgetSnapshot(categories, InputTokens, OutputTokens, CachedTokens, TokenCostUsd, ToolCostUsd, elapsed, Limits.ReachedReasons(this, elapsed), Limits.RemainingFraction(this, elapsed), Limits.Regime(this, elapsed));
        }
    }

    /// <summary>Reserves units on every level when all allow it; returns the refusal otherwise.</summary>
    public string? TryReserveUnits(CategoryState state, int units)
    {
        decimal cost = units * state.UnitPrice;
        lock (Gate)
        {
            CategoryState? s = state;
            for (int i = 0; i < Levels.Length; i++, s = s?.Parent)
            {
                BudgetCounters level = Levels[i];
                if (level.Limits.RefuseTool(level, new ToolCallCheck(s!, units, cost, level.ElapsedIfLimited())) is { } reason)
                {
                    return i == 0 ? reason : "The parent budget does not allow this call: " + reason;
                }
            }

            s = state;
            foreach (BudgetCounters level in Levels)
            {
                s!.Spent += units;
                level.ReservedCostUsd += cost;
                s = s.Parent;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether this level's unit limit of the category is the only limit that refuses the call: every other limit of
    /// this level and every limit of the ancestors would allow it, so more units of the category would let it run; and
    /// its extension was not declined.
    /// </summary>
    public bool OnlyUnitLimitRefuses(CategoryState state, int units)
    {
        decimal cost = units * state.UnitPrice;
        lock (Gate)
        {
            if (state.Limit is not { } limit || state.Spent + units <= limit || state.ExtensionDeclined)
            {
                return false;
            }

            CategoryState? s = state;
            for (int i = 0; i < Levels.Length; i++, s = s?.Parent)
            {
                BudgetCounters level = Levels[i];
                if (level.Limits.RefuseTool(level, new ToolCallCheck(s!, units, cost, level.ElapsedIfLimited()), skipUnits: i == 0) is not null)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Counts reserved units as used on every level; returns the category's units used on this level.</summary>
    public long CommitUnits(CategoryState state, int units)
    {
        decimal cost = units * state.UnitPrice;
        lock (Gate)
        {
            CategoryState? s = state;
            foreach (BudgetCounters level in Levels)
            {
                s!.Used += units;
                level.ReservedCostUsd -= cost;
                level.ToolCostUsd += cost;
                s = s.Parent;
            }

            return state.Used;
        }
    }

    /// <summary>Gives reserved units back on every level.</summary>
    public void ReleaseUnits(CategoryState state, int units)
    {
        decimal cost = units * state.UnitPrice;
        lock (Gate)
        {
            CategoryState? s = state;
            foreach (BudgetCounters level in Levels)
            {
                s!.Spent -= units;
                level.ReservedCostUsd -= cost;
                s = s.Parent;
            }
        }
    }

    /// <summary>Reserves a model call's worst case on every level when all allow it; returns the refusal otherwise.</summary>
    public string? TryReserveModel(long prompt, int? requested, BudgetModelPrice price, bool final, out long? cap, out decimal cost)
    {
        decimal inPrice = Math.Max(price.InputPerMillionTokens, price.CachedInputPerMillionTokens) / 1_000_000m;
        decimal outPrice = price.OutputPerMillionTokens / 1_000_000m;
        decimal promptCost = prompt * inPrice;
        cap = requested;
        cost = 0;
        lock (Gate)
        {
            for (int i = 0; i < Levels.Length; i++)
            {
                BudgetCounters level = Levels[i];
                var call = new ModelCallCheck(prompt, promptCost, outPrice, final, level.ElapsedIfLimited());
                if (level.Limits.RefuseModel(level, call, ref cap) is { } reason)
                {
                    return i == 0 ? reason : "The parent budget does not allow this model call: " + reason;
                }
            }

            long output = cap ?? 0;
            cost = promptCost + (output * outPrice);
            foreach (BudgetCounters level in Levels)
            {
                level.ReservedInputTokens += prompt;
                level.ReservedOutputTokens += output;
                level.ReservedCostUsd += cost;
            }
        }

        return null;
    }

    /// <summary>Gives a model call's reservation back on every level.</summary>
    public void ReleaseModel(BudgetModelReservation hold)
    {
        lock (Gate)
        {
            foreach (BudgetCounters level in Levels)
            {
                level.Unhold(hold);
            }
        }
    }

    /// <summary>Adds usage on every level, giving back <paramref name="hold"/> in the same step.</summary>
    public void AddUsage(long input, long output, long cached, decimal cost, BudgetModelReservation? hold)
    {
        lock (Gate)
        {
            foreach (BudgetCounters level in Levels)
            {
                if (hold is not null)
                {
                    level.Unhold(hold);
                }

                level.InputTokens += input;
                level.OutputTokens += output;
                level.CachedTokens += cached;
                level.TokenCostUsd += cost;
            }
        }
    }

    /// <summary>Adds restored spend to this level only.</summary>
    public void AddRestored(IEnumerable<(CategoryState State, long Units)> units, BudgetSpend prior)
    {
        lock (Gate)
        {
            foreach ((CategoryState state, long n) in units)
            {
                state.Used += n;
                state.Spent += n;
            }

            InputTokens += prior.InputTokens;
            OutputTokens += prior.OutputTokens;
            CachedTokens += prior.CachedInputTokens;
            TokenCostUsd += prior.TokenCostUsd;
            ToolCostUsd += prior.ToolCostUsd;
            Interlocked.Add(ref _priorElapsedTicks, prior.Elapsed.Ticks);
        }
    }

    /// <summary>Clears this level's counters and restarts its clock; calls in flight keep their reservations.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            foreach (CategoryState c in _order)
            {
                c.Spent -= c.Used;
                c.Used = 0;
                c.ExtensionDeclined = false;
            }

            InputTokens = OutputTokens = CachedTokens = 0;
            TokenCostUsd = ToolCostUsd = 0;
            Interlocked.Exchange(ref _priorElapsedTicks, 0);
            Volatile.Write(ref _start, _time.GetTimestamp());
        }
    }

    /// <summary>Whether this level or an ancestor has a limit reached.</summary>
    public bool IsExhaustedChain() => IsExhaustedChain(askable: false);

    /// <summary>Whether this level or an ancestor has a limit reached; with <paramref name="askable"/>, a spent category of
    /// this level counts only once its extension was declined (its next call asks for more).</summary>
    public bool IsExhaustedChain(bool askable)
    {
        for (int i = 0; i < Levels.Length; i++)
        {
            BudgetCounters level = Levels[i];
            if (level.Limits.IsReached(level, level.Elapsed(), askable && i == 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The regime of the tightest level, by this level's thresholds.</summary>
    public BudgetRegime RegimeChain()
    {
        double f = 1;
        foreach (BudgetCounters level in Levels)
        {
            f = Math.Min(f, level.Limits.RemainingFraction(level, level.Elapsed()));
        }

        return Limits.RegimeOf(f, IsExhaustedChain());
    }

    private void Unhold(BudgetModelReservation hold)
    {
        ReservedInputTokens -= hold.PromptTokens;
        ReservedOutputTokens -= hold.ReservedOutputTokens;
        ReservedCostUsd -= hold.ReservedCostUsd;
    }
}
