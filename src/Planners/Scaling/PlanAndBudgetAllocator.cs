namespace Agents.Planners.Scaling;

/// <summary>Splits a token budget over sub-questions by estimated complexity and a decay schedule (Plan-and-Budget).</summary>
public static class PlanAndBudgetAllocator
{
    /// <summary>
    /// Allocates <paramref name="totalTokens"/>: sub-question i gets a share proportional to
    /// complexity_i × decay(i), rounded down, at least 1; the sum never exceeds the total.
    /// </summary>
    /// <param name="complexities">Estimated complexity per sub-question, in order (each 1 to 10).</param>
    /// <param name="totalTokens">The budget to split (at least the number of sub-questions).</param>
    /// <param name="schedule">The decay schedule.</param>
    /// <param name="rate">The decay rate (0 to 10; ignored by <see cref="DecaySchedule.None"/>).</param>
    /// <returns>Tokens per sub-question.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="complexities"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A complexity, the total, the schedule or the rate is out of range.</exception>
    public static IReadOnlyList<long> Allocate(IReadOnlyList<int> complexities, long totalTokens, DecaySchedule schedule, double rate)
    {
        ArgumentNullException.ThrowIfNull(complexities);
        if (complexities.Count == 0)
        {
            throw new ArgumentException("At least one sub-question is needed.", nameof(complexities));
        }

        if (complexities.Any(c => c is < 1 or > 10))
        {
            throw new ArgumentOutOfRangeException(nameof(complexities), "Each complexity must be between 1 and 10.");
        }

        if (totalTokens < complexities.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(totalTokens), totalTokens, "The token budget must be at least one token per sub-question.");
        }

        if (!Enum.IsDefined(schedule))
        {
            throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown decay schedule.");
        }

        if (!(rate >= 0 && rate <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The decay rate must be between 0 and 10.");
        }

        int n = complexities.Count;
        double[] weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            weights[i] = complexities[i] * Decay(schedule, rate, i, n);
        }

        double sum = weights.Sum();
        long spare = totalTokens - n;
        long[] budget = new long[n];
        for (int i = 0; i < n; i++)
        {
            budget[i] = 1 + (long)Math.Floor(spare * weights[i] / sum);
        }

        return budget;
    }

    private static double Decay(DecaySchedule schedule, double rate, int i, int n) => schedule switch
    {
        DecaySchedule.Linear => Math.Max(0.05, 1 - (rate * i / n)),
        DecaySchedule.Exponential => Math.Exp(-rate * i),
        DecaySchedule.Polynomial => Math.Pow(1 + i, -rate),
        _ => 1,
    };
}
