namespace Agents.Planners.Bats;

/// <summary>When BATS stops making attempts.</summary>
public enum BatsMode
{
    /// <summary>Stop at the first answer the verifier accepts (cheaper).</summary>
    EarlyStop,

    /// <summary>Keep making attempts until the budget or the attempt cap is reached, then let the judge choose.</summary>
    Full,
}
