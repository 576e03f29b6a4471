using Microsoft.Extensions.Options;

namespace Agents.Budget;

/// <summary>Checks the data annotations of <see cref="BudgetOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class BudgetOptionsAttributeValidator : IValidateOptions<BudgetOptions>
{
}
