namespace Agents.Samples.Eval.Dataset;

/// <summary>One question of an evaluation dataset.</summary>
/// <param name="Id">Unique id within the dataset.</param>
/// <param name="Question">The question.</param>
/// <param name="Answer">The reference answer (aliases separated by <c>|</c>).</param>
public sealed record EvalItem(string Id, string Question, string Answer);
