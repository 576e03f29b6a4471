namespace Agents.Samples.Eval.Grid;

/// <summary>
/// Runs every (item, strategy, budget) cell not yet in the results journal with bounded parallelism, grades each
/// answer and appends the row at once. Item-major order, so a stopped run still compares all cells on the items it
/// reached. A strategy exception stops the grid (finished rows stay); cancellation records nothing half-done.
/// </summary>
public sealed class GridRunner
{
    private readonly GridRunnerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a runner.</summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">Creates the runner's logger; none logs nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid.</exception>
    public GridRunner(GridRunnerOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<GridRunner>();
    }

    /// <summary>Raised after each row is recorded (from worker threads).</summary>
    public event EventHandler<EvalResult>? ResultRecorded;

    /// <summary>Runs the grid.</summary>
    /// <exception cref="ArgumentException">No strategies or budgets, duplicate strategy names, or a budget below 1.</exception>
    public async Task<GridRunSummary> RunAsync(
        IReadOnlyList<EvalItem> items,
        IReadOnlyList<IEvalStrategy> strategies,
        IReadOnlyList<int> budgets,
        ResultsJournal journal,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(journal);
        if (strategies.Count == 0)
        {
            throw new ArgumentException("At least one strategy is needed.", nameof(strategies));
        }

        if (strategies.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != strategies.Count)
        {
            throw new ArgumentException("Strategy names must be unique.", nameof(strategies));
        }

        if (budgets.Count == 0 || budgets.Any(b => b < 1))
        {
            throw new ArgumentException("Budgets must be a non-empty list of numbers of at least 1.", nameof(budgets));
        }

        var cells = (from item in items from strategy in strategies from budget in budgets.Distinct() select (item, strategy, budget)).ToList();
        var todo = cells.Where(c => !journal.Contains(c.strategy.Name, c.budget, c.item.Id)).ToList();
        _logger.LogInformation("Grid: {Cells} cells, {Skipped} already done, {Todo} to run.", cells.Count, cells.Count - todo.Count, todo.Count);

        int completed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(todo, parallel, async (cell, ct) =>
        {
            var row = await RunCellAsync(cell.item, cell.strategy, cell.budget, ct).ConfigureAwait(false);
            await journal.AppendAsync(row).ConfigureAwait(false);
            Interlocked.Increment(ref completed);
            ResultRecorded?.Invoke(this, row);
        }).ConfigureAwait(false);

        return new GridRunSummary(cells.Count, cells.Count - todo.Count, completed);
    }

    /// <summary>Runs one cell and grades its answer: the row to record (not recorded here).</summary>
    internal async Task<EvalResult> RunCellAsync(EvalItem item, IEvalStrategy strategy, int budget, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        long start = time.GetTimestamp();
        var attempt = await strategy.RunAsync(item, budget, cancellationToken).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(start);
        var grade = await _options.Grader.GradeAsync(item.Question, attempt.Answer, item.Answer, cancellationToken).ConfigureAwait(false);
        return new EvalResult
        {
            Strategy = strategy.Name,
            Budget = budget,
            Id = item.Id,
            Reference = item.Answer,
            Answer = attempt.Answer,
            Correct = grade.IsCorrect,
            Grade = grade.Explanation,
            Status = attempt.Status,
            CostUsd = attempt.CostUsd,
            ToolUnits = attempt.ToolUnits,
            InputTokens = attempt.InputTokens,
            OutputTokens = attempt.OutputTokens,
            DurationMs = (long)elapsed.TotalMilliseconds,
            FinishedAt = time.GetUtcNow(),
        };
    }
}
