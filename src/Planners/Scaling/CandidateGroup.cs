namespace Agents.Planners.Scaling;

/// <summary>Runs that gave the same normalized answer.</summary>
internal sealed class CandidateGroup(string key, AgentRunResult first, int firstIndex)
{
    public string Key { get; } = key;

    public AgentRunResult First { get; } = first;

    public string Answer => First.Answer!;

    public int FirstIndex { get; } = firstIndex;

    public int Votes { get; set; } = 1;

    public double Score { get; set; }

    public string Reason { get; set; } = string.Empty;
}
