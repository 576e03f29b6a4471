namespace Agents.Planners.Grading;

/// <summary>Majority vote over normalized answers with a deterministic tie-break.</summary>
/// <remarks>
/// Answers are grouped by <see cref="AnswerNormalizer.Normalize(string?)"/>; answers that mean "no answer"
/// ("None", empty, ...) cast no vote. The group with the most votes wins; ties are broken by
/// <see cref="MajorityVoteTieBreak"/>, and the result never depends on hash ordering.
/// </remarks>
public static class MajorityVote
{
    /// <summary>Elects the majority answer.</summary>
    /// <param name="answers">Answers in a stable order (for example, the order the runs started).</param>
    /// <param name="tieBreak">How ties are broken.</param>
    /// <returns>The winner, or <see langword="null"/> when no answer cast a vote.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="answers"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tieBreak"/> is not a defined value.</exception>
    public static MajorityVoteResult? Elect(IEnumerable<string?> answers, MajorityVoteTieBreak tieBreak = MajorityVoteTieBreak.FirstSeen)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (!Enum.IsDefined(tieBreak))
        {
            throw new ArgumentOutOfRangeException(nameof(tieBreak), tieBreak, "Unknown tie-break rule.");
        }

        var groups = new List<(string Key, string First, int FirstIndex, int Votes)>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        int index = -1;
        int total = 0;
        foreach (string? answer in answers)
        {
            index++;
            if (AnswerNormalizer.IsNoAnswer(answer))
            {
                continue;
            }

            total++;
            string key = AnswerNormalizer.Normalize(answer);
            if (positions.TryGetValue(key, out int position))
            {
                var g = groups[position];
                groups[position] = (g.Key, g.First, g.FirstIndex, g.Votes + 1);
            }
            else
            {
                positions[key] = groups.Count;
                groups.Add((key, answer!.Trim(), index, 1));
            }
        }

        if (groups.Count == 0)
        {
            return null;
        }

        int best = 0;
        for (int i = 1; i < groups.Count; i++)
        {
            if (Beats(groups[i], groups[best], tieBreak))
            {
                best = i;
            }
        }

        var winner = groups[best];
        bool tie = groups.Count(g => g.Votes == winner.Votes) > 1;
        return new MajorityVoteResult(winner.First, winner.Key, winner.Votes, total, winner.FirstIndex, tie);
    }

    /// <summary>Counts votes per normalized answer, most votes first (ties in first-seen order).</summary>
    /// <param name="answers">The answers.</param>
    /// <returns>Normalized answer and its vote count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="answers"/> is null.</exception>
    public static IReadOnlyList<KeyValuePair<string, int>> Tally(IEnumerable<string?> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var order = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string? answer in answers)
        {
            if (AnswerNormalizer.IsNoAnswer(answer))
            {
                continue;
            }

            string key = AnswerNormalizer.Normalize(answer);
            if (counts.TryGetValue(key, out int n))
            {
                counts[key] = n + 1;
            }
            else
            {
                counts[key] = 1;
                order.Add(key);
            }
        }

        return order
            .Select((key, i) => (key, i))
            .OrderByDescending(t => counts[t.key])
            .ThenBy(t => t.i)
            .Select(t => new KeyValuePair<string, int>(t.key, counts[t.key]))
            .ToList();
    }

    private static bool Beats(
        (string Key, string First, int FirstIndex, int Votes) candidate,
        (string Key, string First, int FirstIndex, int Votes) current,
        MajorityVoteTieBreak tieBreak)
    {
        if (candidate.Votes != current.Votes)
        {
            return candidate.Votes > current.Votes;
        }

        if (tieBreak == MajorityVoteTieBreak.MostSpecific && candidate.Key.Length != current.Key.Length)
        {
            return candidate.Key.Length > current.Key.Length;
        }

        return candidate.FirstIndex < current.FirstIndex;
    }
}
