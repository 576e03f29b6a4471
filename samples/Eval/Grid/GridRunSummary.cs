namespace Agents.Samples.Eval.Grid;

/// <summary>What a grid run did.</summary>
/// <param name="Cells">All (strategy, budget, item) cells of the grid.</param>
/// <param name="Skipped">Cells already in the results file (resumed).</param>
/// <param name="Completed">Cells run and recorded now.</param>
public sealed record GridRunSummary(int Cells, int Skipped, int Completed);
