namespace Agents.Cluster;

/// <summary>What <see cref="OrleansWorkPool.CompleteAsync"/> did with a result.</summary>
public enum WorkCompletion
{
    /// <summary>The result was recorded: the first for its key.</summary>
    Recorded,

    /// <summary>A result for this key was already recorded (by a retry, or by a worker that took over an expired claim); this one was dropped.</summary>
    AlreadyRecorded,

    /// <summary>The pool does not know the key.</summary>
    UnknownKey,
}
