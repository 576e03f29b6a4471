namespace Agents.Planners.Bats;

/// <summary>One step of a BATS checklist plan.</summary>
/// <param name="Id">Hierarchical number, for example <c>1</c> or <c>1.2</c> (alternative leads are numbered branches).</param>
/// <param name="Description">What the step does.</param>
/// <param name="Status">The step's state.</param>
/// <param name="SpentUnits">Tool units spent on the step so far.</param>
public sealed record PlanStep(string Id, string Description, PlanStepStatus Status, long SpentUnits)
{
    /// <summary>Gets the nesting depth: 0 for <c>1</c>, 1 for <c>1.2</c>, and so on.</summary>
    public int Depth => Id.Count(c => c == '.');
}
