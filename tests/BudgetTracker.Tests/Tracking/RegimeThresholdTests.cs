namespace Agents.Budget.Tests.Tracking;

/// <summary>The regimes come from the thresholds of the options, the only place they are written.</summary>
public sealed class RegimeThresholdTests
{
    [Theory]
    [InlineData(1, BudgetRegime.High)]
    [InlineData(2, BudgetRegime.Medium)]
    [InlineData(6, BudgetRegime.Low)]
    [InlineData(8, BudgetRegime.Critical)]
    public void Regime_FollowsTheThresholdsOfTheOptions(int used, BudgetRegime expected)
    {
        var options = new BudgetOptions { HighRegimeThreshold = 0.9, MediumRegimeThreshold = 0.5, LowRegimeThreshold = 0.25 }.WithToolLimit("search", 10);
        var tracker = new BudgetTracker(options);
        tracker.TryReserve("search", used).Commit();

        Assert.Equal(expected, tracker.Regime);
        Assert.Equal(expected, tracker.GetSnapshot().Regime);
        Assert.Contains("Regime: " + expected.ToString().ToUpperInvariant(), tracker.FormatBudgetBlock(), StringComparison.Ordinal);
    }

    [Fact]
    public void Guideline_ShowsTheThresholdsOfTheOptions_ThroughTheOneTemplateEngine()
    {
        var tracker = new BudgetTracker(new BudgetOptions { HighRegimeThreshold = 0.8, MediumRegimeThreshold = 0.4, LowRegimeThreshold = 0.2 }.WithToolLimit("search", 10));
        string guideline = tracker.FormatGuideline();

        Assert.Contains("HIGH (>= 80% left)", guideline, StringComparison.Ordinal);
        Assert.Contains("MEDIUM (40-80% left)", guideline, StringComparison.Ordinal);
        Assert.Contains("LOW (20-40% left)", guideline, StringComparison.Ordinal);
        Assert.Contains("CRITICAL (< 20% left", guideline, StringComparison.Ordinal);
        Assert.Contains("search 10 units", guideline, StringComparison.Ordinal);
        Assert.Equal(
            "<budget>\nSearch used: 0, remaining: 10\nRegime: HIGH\n</budget>",
            new BudgetTracker(new BudgetOptions().WithToolLimit("search", 10)).FormatBudgetBlock());
    }

    [Fact]
    public void Thresholds_OutOfOrderOrOutOfRange_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BudgetOptions { HighRegimeThreshold = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new BudgetOptions { LowRegimeThreshold = 0 });
        Assert.Throws<InvalidOperationException>(() => new BudgetTracker(new BudgetOptions { MediumRegimeThreshold = 0.8, HighRegimeThreshold = 0.7 }));
        var frozen = new BudgetOptions();
        _ = new BudgetTracker(frozen);
        Assert.Throws<InvalidOperationException>(() => frozen.LowRegimeThreshold = 0.05);
    }
}
