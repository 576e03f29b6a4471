namespace Agents.Samples.Eval.Grid;

/// <summary>What a cluster worker's grid run did.</summary>
/// <param name="Cells">All (strategy, budget, item) cells of the grid.</param>
/// <param name="RanHere">Cells this worker ran and recorded first.</param>
/// <param name="FromOthers">Rows other workers (or earlier runs) recorded that this worker's journal took over now.</param>
internal sealed record ClusterGridSummary(int Cells, int RanHere, int FromOthers);
