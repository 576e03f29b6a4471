namespace Agents.Planners.Runs;

/// <summary>
/// A model call was not made: its worst case (prompt plus output cap) does not fit the token or money budget. The agent
/// loops catch it and go to their final-answer turn, which may use the final-answer reserve.
/// </summary>
internal sealed class ModelCallDeniedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelCallDeniedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The budget the call does not fit.</param>
    public ModelCallDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelCallDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
