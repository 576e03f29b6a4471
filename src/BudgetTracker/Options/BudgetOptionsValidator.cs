using Microsoft.Extensions.Options;

namespace Agents.Budget;

/// <summary>
/// The one validation of <see cref="BudgetOptions"/>, used by <see cref="BudgetOptions.Validate"/> (so by every
/// <see cref="BudgetTracker"/>) and registered for the options pattern by <c>AddBudgetTracker</c>: the source-generated
/// data-annotation checks plus what attributes cannot say (collections, cross-property rules, known categories).
/// </summary>
internal sealed class BudgetOptionsValidator : IValidateOptions<BudgetOptions>
{
    private readonly BudgetOptionsAttributeValidator _attributes = new();

    /// <summary>Gets the shared (stateless) instance.</summary>
    public static BudgetOptionsValidator Instance { get; } = new();

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, BudgetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        result.AddResult(_attributes.Validate(name, options));
        foreach (string failure in options.Failures())
        {
            result.AddError(failure);
        }

        return result.Build();
    }
}
