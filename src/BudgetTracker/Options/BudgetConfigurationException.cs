using Microsoft.Extensions.Options;

namespace Agents.Budget;

/// <summary>
/// Thrown when a budget configuration does not fit the tools it meets (for example a mapping names a unit argument the
/// tool does not have), or when the units of a call cannot be counted (the declared unit argument is missing or is not an
/// array). It is an <see cref="OptionsValidationException"/> of <see cref="BudgetOptions"/>, the one exception type for bad
/// budget options.
/// </summary>
public sealed class BudgetConfigurationException : OptionsValidationException
{
    /// <summary>Creates the exception.</summary>
    public BudgetConfigurationException()
        : this("The budget configuration is invalid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message naming the option or argument at fault.</param>
    public BudgetConfigurationException(string message)
        : base(Microsoft.Extensions.Options.Options.DefaultName, typeof(BudgetOptions), [message])
    {
    }
}
