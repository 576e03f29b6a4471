namespace Agents.Samples.Eval.Grid;

/// <summary>The grid cannot go on (the model is unreachable or rejects the key); finished rows are kept.</summary>
public sealed class EvalAbortedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EvalAbortedException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public EvalAbortedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public EvalAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
