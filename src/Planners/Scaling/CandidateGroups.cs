using Agents.Planners.Grading;

namespace Agents.Planners.Scaling;

/// <summary>Groups answered runs by normalized answer and picks by verifier score.</summary>
internal static class CandidateGroups
{
    public static List<CandidateGroup> From(IReadOnlyList<AgentRunResult> runs)
    {
        var groups = new List<CandidateGroup>();
        for (int i = 0; i < runs.Count; i++)
        {
            AgentRunResult run = runs[i];
            if (run.Status != AgentRunStatus.Answered || AnswerNormalizer.IsNoAnswer(run.Answer))
            {
                continue;
            }

            string key = AnswerNormalizer.Normalize(run.Answer);
            CandidateGroup? group = groups.Find(g => g.Key == key);
            if (group is null)
            {
                groups.Add(new CandidateGroup(key, run, i));
            }
            else
            {
                group.Votes++;
            }
        }

        return groups;
    }

    public static async Task<CandidateGroup> ScoreAndPickAsync(
        AgentRunContext context, AnswerScorer scorer, List<CandidateGroup> groups, CancellationToken cancellationToken)
    {
        foreach (CandidateGroup group in groups)
        {
            (group.Score, group.Reason) = await scorer.ScoreAsync(context, group.First, cancellationToken).ConfigureAwait(false);
        }

        return groups
            .OrderByDescending(g => g.Score)
            .ThenByDescending(g => g.Votes)
            .ThenBy(g => g.FirstIndex)
            .First();
    }
}
