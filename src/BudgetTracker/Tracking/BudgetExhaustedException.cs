namespace Agents.Budget;

/// <summary>
/// Thrown by <see cref="BudgetChatClient"/> when a new request starts while a hard limit is already reached and
/// <see cref="BudgetOptions.OnExhaustion"/> is <see cref="ExhaustionBehavior.Terminate"/>, and when a model call's worst
/// case does not fit the token or money budget left (nor, with <see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/>,
/// the final-answer reserve): that call is not made.
/// </summary>
public sealed class BudgetExhaustedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public BudgetExhaustedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message naming the exhausted budget.</param>
    public BudgetExhaustedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message naming the exhausted budget.</param>
    /// <param name="innerException">The cause.</param>
    public BudgetExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
