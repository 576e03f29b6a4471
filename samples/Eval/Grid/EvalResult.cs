namespace Agents.Samples.Eval.Grid;

/// <summary>One finished (strategy, budget, item) cell of the grid; one line of the results JSONL.</summary>
public sealed record EvalResult
{
    /// <summary>The strategy name.</summary>
    public required string Strategy { get; init; }

    /// <summary>Units per tool.</summary>
    public required int Budget { get; init; }

    /// <summary>The dataset item id.</summary>
    public required string Id { get; init; }

    /// <summary>The reference answer.</summary>
    public required string Reference { get; init; }

    /// <summary>The strategy's answer, or null.</summary>
    public string? Answer { get; init; }

    /// <summary>Whether the grader accepted the answer.</summary>
    public required bool Correct { get; init; }

    /// <summary>The grader's explanation.</summary>
    public string? Grade { get; init; }

    /// <summary>How the run ended.</summary>
    public required string Status { get; init; }

    /// <summary>Unified cost in USD.</summary>
    public required decimal CostUsd { get; init; }

    /// <summary>Tool units spent.</summary>
    public required long ToolUnits { get; init; }

    /// <summary>Input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Wall-clock milliseconds of the run.</summary>
    public long DurationMs { get; init; }

    /// <summary>When the run finished (UTC).</summary>
    public DateTimeOffset FinishedAt { get; init; }
}
