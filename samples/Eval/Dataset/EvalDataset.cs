namespace Agents.Samples.Eval.Dataset;

/// <summary>A loaded dataset: the usable items and the lines that were skipped.</summary>
/// <param name="Path">The file it came from.</param>
/// <param name="Items">Usable items, in file order.</param>
/// <param name="Problems">Skipped lines with their numbers and reasons.</param>
public sealed record EvalDataset(string Path, IReadOnlyList<EvalItem> Items, IReadOnlyList<JsonlProblem> Problems);
