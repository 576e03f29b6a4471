namespace Agents.Planners.Bats;

/// <summary>The verifier's finding for one constraint.</summary>
/// <param name="Constraint">The constraint, in the verifier's words.</param>
/// <param name="Status">Satisfied, contradicted or unverifiable.</param>
/// <param name="Evidence">The evidence or reason given.</param>
public sealed record ConstraintCheck(string Constraint, ConstraintStatus Status, string Evidence);
