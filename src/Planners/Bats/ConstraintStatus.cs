namespace Agents.Planners.Bats;

/// <summary>How a proposed answer stands against one constraint of the question.</summary>
public enum ConstraintStatus
{
    /// <summary>Evidence confirms the constraint.</summary>
    Satisfied,

    /// <summary>Evidence contradicts the constraint.</summary>
    Contradicted,

    /// <summary>No evidence either way yet.</summary>
    Unverifiable,
}
