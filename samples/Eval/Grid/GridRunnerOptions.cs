using Agents.Planners.Grading;

namespace Agents.Samples.Eval.Grid;

/// <summary>Options of <see cref="GridRunner"/>.</summary>
public sealed class GridRunnerOptions
{
    /// <summary>How many runs execute at once. Default 2; 1 to 64.</summary>
    public int MaxParallelism { get; set; } = 2;

    /// <summary>Grades answers against the reference. Default: normalized exact match with <c>|</c>-separated aliases.</summary>
    public IAnswerGrader Grader { get; set; } = new ExactMatchGrader();

    /// <summary>Clock for durations and timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when an option is invalid, naming it.</summary>
    public void Validate()
    {
        if (MaxParallelism is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxParallelism), MaxParallelism, "GridRunnerOptions.MaxParallelism must be between 1 and 64.");
        }

        if (Grader is null)
        {
            throw new ArgumentException("GridRunnerOptions.Grader must be set.", nameof(Grader));
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("GridRunnerOptions.TimeProvider must be set.", nameof(TimeProvider));
        }
    }
}
