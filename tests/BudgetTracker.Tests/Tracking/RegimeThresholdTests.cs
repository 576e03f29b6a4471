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
        var options = Thresholds(0.9, 0.5, 0.25).SetToolLimit("search", 10);
        var tracker = new BudgetTracker(options);
        tracker.TryReserve("search", used).Commit();

        Assert.Equal(expected, tracker.Regime);
        Assert.Equal(expected, tracker.GetSnapshot().Regime);
        Assert.Contains("Regime: " + expected.ToString().ToUpperInvariant(), tracker.FormatBudgetBlock(), StringComparison.Ordinal);
    }

    [Fact]
    public void Guideline_ShowsTheThresholdsOfTheOptions_ThroughTheOneTemplateEngine()
    {
        var tracker = new BudgetTracker(Thresholds(0.8, 0.4, 0.2).SetToolLimit("search", 10));
        string guideline = tracker.FormatGuideline();

        Assert.Contains("HIGH (>= 80% left)", guideline, StringComparison.Ordinal);
        Assert.Contains("MEDIUM (40-80% left)", guideline, StringComparison.Ordinal);
        Assert.Contains("LOW (20-40% left)", guideline, StringComparison.Ordinal);
        Assert.Contains("CRITICAL (< 20% left", guideline, StringComparison.Ordinal);
        Assert.Contains("search 10 units", guideline, StringComparison.Ordinal);
        Assert.Equal(
            "<budget>\nSearch used: 0, remaining: 10\nRegime: HIGH\n</budget>",
            new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10)).FormatBudgetBlock());
    }

    [Fact]
    public void Thresholds_OutOfOrderOrOutOfRange_AreRejected()
    {
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new BudgetTracker(Thresholds(1.5, 0.3, 0.1)));
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new BudgetTracker(Thresholds(0.7, 0.3, 0)));
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new BudgetTracker(Thresholds(0.7, 0.8, 0.1)));
        var frozen = new BudgetOptions();
        _ = new BudgetTracker(frozen);
        Assert.ThrowsAny<InvalidOperationException>(() => frozen.RegimeThresholds.Low = 0.05);
    }

    private static BudgetOptions Thresholds(double high, double medium, double low)
    {
        var options = new BudgetOptions();
        options.RegimeThresholds.High = high;
        options.RegimeThresholds.Medium = medium;
        options.RegimeThresholds.Low = low;
        return options;
    }
}
