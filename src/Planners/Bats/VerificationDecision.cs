namespace Agents.Planners.Bats;

/// <summary>The self-verifier's decision on a proposed answer.</summary>
public enum VerificationDecision
{
    /// <summary>Every constraint is satisfied: accept the answer.</summary>
    Success,

    /// <summary>Dig deeper: the path is sound, the gaps are fixable and the budget allows it.</summary>
    Continue,

    /// <summary>Change direction: dead end, flawed logic, repeated failures, or too little budget for this path.</summary>
    Pivot,
}
