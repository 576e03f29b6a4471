namespace Agents.LocalEngine.Generation;

/// <summary>
/// Where the decode thread's time went over its batched decode steps (prefills excluded), for the benchmarks' per-step
/// breakdown: the ONNX Runtime run (binding included), choosing the tokens (sampling, constraints, detokenizing, callbacks),
/// and the rest of the iteration (retiring rows, admission checks, locks: scheduling).
/// </summary>
/// <param name="Steps">The decode steps counted.</param>
/// <param name="Run">Time in the bound ONNX Runtime run.</param>
/// <param name="Choose">Time choosing the rows' next tokens.</param>
/// <param name="Iteration">Time of the decode iterations, prefills excluded (Run and Choose included).</param>
internal readonly record struct DecodeProfile(long Steps, TimeSpan Run, TimeSpan Choose, TimeSpan Iteration)
{
    /// <summary>The time of the iterations outside the run and the token choice.</summary>
    public TimeSpan Scheduling => Iteration - Run - Choose;

    /// <summary>The difference of two snapshots (what happened between them).</summary>
    public static DecodeProfile operator -(DecodeProfile later, DecodeProfile earlier) =>
        new(later.Steps - earlier.Steps, later.Run - earlier.Run, later.Choose - earlier.Choose, later.Iteration - earlier.Iteration);
}
