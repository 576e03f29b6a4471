namespace Agents.Samples.Eval.Report;

/// <summary>Aggregates of one (strategy, budget) cell column over all items.</summary>
/// <param name="Strategy">The strategy.</param>
/// <param name="Budget">Units per tool.</param>
/// <param name="Runs">Number of graded runs.</param>
/// <param name="Correct">Number of correct answers.</param>
/// <param name="Accuracy">Correct / Runs (0 to 1).</param>
/// <param name="MeanCostUsd">Mean unified cost per run in USD.</param>
/// <param name="MeanToolUnits">Mean tool units per run.</param>
/// <param name="MeanInputTokens">Mean input tokens per run.</param>
/// <param name="MeanOutputTokens">Mean output tokens per run.</param>
/// <param name="CostOfPass">Expected cost per correct answer in USD (total cost / correct); +∞ with no correct answer.</param>
public sealed record EvalSummaryRow(
    string Strategy,
    int Budget,
    int Runs,
    int Correct,
    double Accuracy,
    double MeanCostUsd,
    double MeanToolUnits,
    double MeanInputTokens,
    double MeanOutputTokens,
    double CostOfPass);
