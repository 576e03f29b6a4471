namespace Agents.Budget;

/// <summary>A model call asking to reserve its worst case, as the limits of one tracker level see it.</summary>
/// <param name="PromptTokens">The prompt's input tokens.</param>
/// <param name="PromptCostUsd">What the prompt costs.</param>
/// <param name="OutputPricePerToken">What one output token costs.</param>
/// <param name="FinalAnswer">Whether the call may use the final-answer reserve.</param>
/// <param name="Elapsed">The level's elapsed time.</param>
internal readonly record struct ModelCallCheck(long PromptTokens, decimal PromptCostUsd, decimal OutputPricePerToken, bool FinalAnswer, TimeSpan Elapsed)
{
    /// <summary>The start of every model refusal.</summary>
    public const string Prefix = "The model call does not fit the budget: ";
}
