namespace Agents.Budget;

/// <summary>
/// Thrown when a budget configuration is invalid, or when the units of a call cannot be counted
/// (for example the declared unit argument is missing or is not an array).
/// </summary>
public sealed class BudgetConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public BudgetConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message naming the option or argument at fault.</param>
    public BudgetConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message naming the option or argument at fault.</param>
    /// <param name="innerException">The cause.</param>
    public BudgetConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
