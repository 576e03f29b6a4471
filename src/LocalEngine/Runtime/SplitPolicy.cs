namespace Agents.LocalEngine.Runtime;

/// <summary>
/// Chooses, run by run, whether a batched decode run that may be split (<see cref="LocalOnnxEngineOptions.ParallelBatchRuns"/>)
/// is split, by what the runs cost: the median time per row of recent split runs and of recent whole runs, the cheaper one
/// chosen (split while it measures no more than <see cref="SplitMargin"/> times whole), and after every <see cref="ExploreEvery"/> choices a short try of the other one, so that its cost follows the machine. On an idle
/// CPU the parts run on idle cores and splitting wins; when another process keeps a core busy, the part on that core is
/// preempted, the whole step waits for it, and whole runs win until the core is free again (docs/benchmarks.md,
/// "Parallel batch runs").
/// </summary>
internal sealed class SplitPolicy
{
    /// <summary>How many choices of the kind that looks cheaper come between two tries of the other kind.</summary>
    public const int ExploreEvery = 32;

    /// <summary>
    /// How many runs one try of a kind lasts: the first only warms up (a worker thread that slept, cold caches) and is not
    /// counted; the others replace what that kind's window held, which is old (the machine may have changed since).
    /// </summary>
    public const int TryRuns = 4;

    /// <summary>How many recent runs of each kind the median is taken over (a step preempted now and then does not decide).</summary>
    public const int Window = 8;

    /// <summary>
    /// How much dearer split runs may measure and still be chosen: on an idle CPU they are 10-30 % cheaper, but the medians of
    /// two small samples on a noisy machine cross now and then; one busy core makes split runs 1.5-2× dearer, far past this.
    /// </summary>
    public const double SplitMargin = 1.1;

    private readonly RecentRuns _split = new();
    private readonly RecentRuns _whole = new();
    private int _sinceExplore;
    private int _tryLeft;
    private bool _tryKind;

    /// <summary>Gets the median seconds per row of recent split runs (NaN before the first).</summary>
    public double SplitSecondsPerRow => _split.Median;

    /// <summary>Gets the median seconds per row of recent whole runs (NaN before the first).</summary>
    public double WholeSecondsPerRow => _whole.Median;

    /// <summary>Gets a value indicating whether split runs look at least as cheap as whole ones (true until measured), without counting a choice.</summary>
    public bool PrefersSplit => _split.Count == 0 || _whole.Count == 0 || _split.Median <= _whole.Median * SplitMargin;

    /// <summary>
    /// Chooses for the next decode run that may be split: each kind is tried first (<see cref="TryRuns"/> runs), then the
    /// cheaper is chosen, and after every <see cref="ExploreEvery"/> choices the other is tried again.
    /// </summary>
    public bool ChooseSplit()
    {
        if (_tryLeft > 0)
        {
            return _tryKind;
        }

        if (_split.Count == 0)
        {
            return Try(split: true);
        }

        if (_whole.Count == 0)
        {
            return Try(split: false);
        }

        var split = PrefersSplit;
        if (++_sinceExplore >= ExploreEvery)
        {
            _sinceExplore = 0;
            return Try(!split);
        }

        return split;
    }

    /// <summary>Records what the decode run of <paramref name="rows"/> rows just chosen by <see cref="ChooseSplit"/> cost.</summary>
    public void Record(bool split, TimeSpan elapsed, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var runs = split ? _split : _whole;
        if (_tryLeft > 0)
        {
            _tryLeft--;
            if (_tryLeft == TryRuns - 1)
            {
                // The try's warm-up run: not counted, and what the window held before the try is dropped.
                runs.Clear();
                return;
            }
        }

        runs.Add(Math.Max(0, elapsed.TotalSeconds) / rows);
    }

    private bool Try(bool split)
    {
        _tryKind = split;
        _tryLeft = TryRuns;
        return split;
    }

    /// <summary>The last <see cref="Window"/> costs of one kind of run and their median.</summary>
    private sealed class RecentRuns
    {
        private readonly double[] _values = new double[Window];
        private int _next;

        public int Count { get; private set; }

        public double Median { get; private set; } = double.NaN;

        public void Add(double value)
        {
            _values[_next] = value;
            _next = (_next + 1) % Window;
            Count = Math.Min(Count + 1, Window);
            Span<double> sorted = stackalloc double[Count];
            _values.AsSpan(0, Count).CopyTo(sorted);
            sorted.Sort();
            Median = (Count & 1) == 1 ? sorted[Count / 2] : (sorted[(Count / 2) - 1] + sorted[Count / 2]) / 2;
        }

        public void Clear()
        {
            Count = 0;
            _next = 0;
            Median = double.NaN;
        }
    }
}
