namespace Agents.LocalEngine.Tests.Runtime;

/// <summary>Whether a batched run is split follows what split and whole runs cost: the cheaper, and now and then the other.</summary>
public sealed class SplitPolicyTests
{
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Slow = TimeSpan.FromMilliseconds(2);

    /// <summary>Makes <paramref name="count"/> choices, recording <paramref name="split"/> or <paramref name="whole"/> for each; returns the choices.</summary>
    private static List<bool> Run(SplitPolicy policy, int count, TimeSpan split, TimeSpan whole)
    {
        var choices = new List<bool>();
        for (var i = 0; i < count; i++)
        {
            var choice = policy.ChooseSplit();
            choices.Add(choice);
            policy.Record(choice, choice ? split : whole, 8);
        }

        return choices;
    }

    [Fact]
    public void Each_kind_is_tried_then_the_cheaper_is_chosen_and_the_other_tried_again_after_every_32_choices()
    {
        var policy = new SplitPolicy();
        Assert.True(policy.PrefersSplit); // nothing measured yet

        // The first try of a kind is slow (threads starting): its warm-up run is not counted.
        var first = policy.ChooseSplit();
        policy.Record(first, TimeSpan.FromMilliseconds(50), 8);
        var choices = new List<bool> { first };
        choices.AddRange(Run(policy, (2 * SplitPolicy.TryRuns) - 1 + (3 * (SplitPolicy.ExploreEvery - 1 + SplitPolicy.TryRuns)), Fast, Slow));

        Assert.Equal([true, true, true, true, false, false, false, false], choices.Take(2 * SplitPolicy.TryRuns));
        Assert.Equal(Fast.TotalSeconds / 8, policy.SplitSecondsPerRow, 12);
        Assert.Equal(Slow.TotalSeconds / 8, policy.WholeSecondsPerRow, 12);

        // Three cycles: 31 split choices, then a try of four whole runs.
        var after = choices.Skip(2 * SplitPolicy.TryRuns).ToList();
        Assert.Equal(3 * SplitPolicy.TryRuns, after.Count(c => !c));
        Assert.Equal(Enumerable.Repeat(true, SplitPolicy.ExploreEvery - 1), after.Take(SplitPolicy.ExploreEvery - 1));
        Assert.Equal(Enumerable.Repeat(false, SplitPolicy.TryRuns), after.Skip(SplitPolicy.ExploreEvery - 1).Take(SplitPolicy.TryRuns));
        Assert.True(policy.PrefersSplit);
    }

    [Fact]
    public void When_split_runs_slow_down_whole_runs_take_over_and_splitting_returns_when_it_is_cheap_again()
    {
        var policy = new SplitPolicy();
        Run(policy, 20, Fast, Slow);
        Assert.True(policy.PrefersSplit);

        // Another process keeps a core busy: a split step waits for its preempted part. Once half the window is slow runs,
        // whole runs take over.
        var busy = Run(policy, 3 * SplitPolicy.ExploreEvery, TimeSpan.FromMilliseconds(5), Slow);
        Assert.False(policy.PrefersSplit);
        Assert.Equal([true, true, true, true, false], busy.Take(5));
        Assert.True(busy.Skip(4).Count(c => c) <= 3 * SplitPolicy.TryRuns, string.Join(",", busy)); // only the tries split (one per 32 choices)

        // The core is free again: the next try measures cheap split runs and splitting wins back after it.
        var idle = Run(policy, 3 * SplitPolicy.ExploreEvery, Fast, Slow);
        Assert.True(policy.PrefersSplit);
        Assert.True(idle.Skip(SplitPolicy.ExploreEvery + SplitPolicy.TryRuns).Count(c => !c) <= 2 * SplitPolicy.TryRuns, string.Join(",", idle));
    }

    [Theory]
    [InlineData(1.05, true)] // within the margin: noise on an idle machine does not stop splitting
    [InlineData(1.2, false)]
    public void Split_runs_are_kept_while_they_measure_at_most_a_tenth_dearer_than_whole_runs(double splitOverWhole, bool split)
    {
        var policy = new SplitPolicy();
        Run(policy, 2 * SplitPolicy.TryRuns, TimeSpan.FromMilliseconds(splitOverWhole), TimeSpan.FromMilliseconds(1));

        Assert.Equal(split, policy.PrefersSplit);
        Assert.Equal(split, policy.ChooseSplit());
    }

    [Fact]
    public void A_run_of_no_rows_is_refused()
    {
        var policy = new SplitPolicy();
        Assert.Throws<ArgumentOutOfRangeException>(() => policy.Record(true, Fast, 0));
        policy.Record(policy.ChooseSplit(), Fast, 8); // the first try's warm-up
        policy.Record(policy.ChooseSplit(), TimeSpan.FromTicks(-5), 8); // a clock that went back counts as free, not as negative
        Assert.Equal(0, policy.SplitSecondsPerRow);
    }
}
