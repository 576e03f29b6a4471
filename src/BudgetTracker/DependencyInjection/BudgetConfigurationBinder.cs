using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Agents.Budget;

/// <summary>
/// Binds <see cref="BudgetOptions"/> from configuration, strictly: a key the options do not have, or a value that does
/// not convert (an unknown <see cref="BudgetOptions.OnExhaustion"/> name, a number that is not one), throws an
/// <see cref="OptionsValidationException"/> naming the key.
/// </summary>
internal static class BudgetConfigurationBinder
{
    private static readonly string ExhaustionNames = string.Join(", ", Enum.GetNames<ExhaustionBehavior>());

    public static void Bind(IConfiguration configuration, BudgetOptions options)
    {
        string path = configuration is IConfigurationSection section ? section.Path + ":" : string.Empty;
        if (configuration[nameof(BudgetOptions.OnExhaustion)] is { Length: > 0 } behavior
            && !Enum.TryParse<ExhaustionBehavior>(behavior, ignoreCase: true, out _))
        {
            throw Fail($"{path}{nameof(BudgetOptions.OnExhaustion)}: '{behavior}' is not an exhaustion behaviour; use one of {ExhaustionNames}.");
        }

        try
        {
            configuration.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw Fail($"The budget configuration{(path.Length > 0 ? $" '{path.TrimEnd(':')}'" : string.Empty)} does not bind: {ex.Message}");
        }
    }

    private static OptionsValidationException Fail(string message) =>
        new(Microsoft.Extensions.Options.Options.DefaultName, typeof(BudgetOptions), [message]);
}
