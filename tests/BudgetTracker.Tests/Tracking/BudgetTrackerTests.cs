namespace Agents.Budget.Tests.Tracking;

public sealed class BudgetTrackerTests
{
    [Fact]
    public void TryReserve_GrantsUpToLimit_ThenDeniesNamingTheBudget()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 5));

        using BudgetReservation first = tracker.TryReserve("search", 3);
        Assert.True(first.Granted);
        first.Commit();

        using BudgetReservation tooMany = tracker.TryReserve("search", 3);
        Assert.False(tooMany.Granted);
        Assert.Contains("search", tooMany.DeniedReason, StringComparison.Ordinal);
        Assert.Contains("2 unit(s) left", tooMany.DeniedReason, StringComparison.Ordinal);

        using BudgetReservation rest = tracker.TryReserve("search", 2);
        Assert.True(rest.Granted);
        rest.Commit();

        Assert.Equal(5, tracker.GetSnapshot().GetCategory("search")!.Used);
        Assert.True(tracker.IsExhausted);
        using BudgetReservation after = tracker.TryReserve("search", 1);
        Assert.False(after.Granted);
        Assert.Contains("exhausted", after.DeniedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_ReleasesUncommittedReservation_ButNotCommittedOne()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 2));
        using (BudgetReservation r = tracker.TryReserve("browse", 2))
        {
            Assert.True(r.Granted);
            Assert.False(tracker.TryReserve("browse", 1).Granted);
        }

        BudgetSnapshot s = tracker.GetSnapshot();
        Assert.Equal(0, s.GetCategory("browse")!.Used);
        Assert.Equal(0, s.GetCategory("browse")!.InFlight);

        BudgetReservation committed = tracker.TryReserve("browse", 1);
        committed.Commit();
        committed.Dispose();
        committed.Release();
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("browse")!.Used);
        Assert.Throws<InvalidOperationException>(() => tracker.TryReserve("browse", 5).Commit());
    }

    [Fact]
    public void TryReserve_RejectsBadArguments()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.TryReserve("search", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.TryReserve("search", -2));
        Assert.Throws<ArgumentException>(() => tracker.TryReserve(" ", 1));
    }

    [Fact]
    public void UnifiedCost_SumsTokensCachedTokensAndUnits()
    {
        var options = new BudgetOptions().SetToolLimit("search", 10).SetToolLimit("browse", 10);
        options.Pricing.SetUnitPrice("browse", 0.002m).SetModelPrice("m1", inputPerMTok: 1m, outputPerMTok: 4m, cachedInputPerMTok: 0.25m);
        var tracker = new BudgetTracker(options);

        tracker.TryReserve("search", 4).Commit();
        tracker.TryReserve("browse", 3).Commit();
        tracker.RecordUsage(new UsageDetails { InputTokenCount = 1_000_000, CachedInputTokenCount = 400_000, OutputTokenCount = 500_000 }, "m1");

        BudgetSnapshot s = tracker.GetSnapshot();
        decimal expectedTokens = 0.6m * 1m + 0.4m * 0.25m + 0.5m * 4m;
        decimal expectedTools = 4 * 0.001m + 3 * 0.002m;
        Assert.Equal(expectedTokens, s.TokenCostUsd);
        Assert.Equal(expectedTools, s.ToolCostUsd);
        Assert.Equal(expectedTokens + expectedTools, s.CostUsd);
        Assert.Equal(1_000_000, s.InputTokens);
        Assert.Equal(400_000, s.CachedInputTokens);
        Assert.Equal(500_000, s.OutputTokens);
    }

    [Fact]
    public void TokenPrices_AreZeroUnlessSet()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        tracker.RecordUsage(new UsageDetails { InputTokenCount = 5000, OutputTokenCount = 7000 }, "unpriced-model");
        Assert.Equal(0m, tracker.GetSnapshot().TokenCostUsd);
    }

    [Fact]
    public void RecordUsage_AcceptsUsageContentAndOpenAiUsage()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        tracker.RecordUsage((object)new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 }));
        OpenAI.Chat.ChatTokenUsage openAi = OpenAI.Chat.OpenAIChatModelFactory.ChatTokenUsage(outputTokenCount: 7, inputTokenCount: 20, totalTokenCount: 27,
            inputTokenDetails: OpenAI.Chat.OpenAIChatModelFactory.ChatInputTokenUsageDetails(cachedTokenCount: 6));
        tracker.RecordUsage(openAi, "gpt");
        BudgetSnapshot s = tracker.GetSnapshot();
        Assert.Equal(30, s.InputTokens);
        Assert.Equal(12, s.OutputTokens);
        Assert.Equal(6, s.CachedInputTokens);
    }

    [Fact]
    public void RecordUsage_RejectsMalformedOrUnknownUsage()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        Assert.Throws<ArgumentNullException>(() => tracker.RecordUsage((object?)null));
        ArgumentException unknown = Assert.Throws<ArgumentException>(() => tracker.RecordUsage((object)"12 tokens"));
        Assert.Contains("System.String", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => tracker.RecordUsage(new UsageDetails { InputTokenCount = -1 }));
        Assert.Throws<ArgumentException>(() => tracker.RecordUsage(new UsageDetails { InputTokenCount = 5, CachedInputTokenCount = 6 }));
        Assert.Throws<ArgumentException>(() => tracker.RecordUsage((object)new Dictionary<string, int> { ["input"] = 3 }));
        Assert.Equal(0, tracker.GetSnapshot().InputTokens);
    }

    [Fact]
    public void TokenLimit_ExhaustsAndDeniesTools()
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxInputTokens = 100, MaxOutputTokens = 1000 });
        tracker.RecordUsage(new UsageDetails { InputTokenCount = 60 });
        Assert.False(tracker.IsExhausted);
        Assert.Equal(BudgetRegime.Medium, tracker.Regime);
        tracker.RecordUsage(new UsageDetails { InputTokenCount = 40 });
        Assert.True(tracker.IsExhausted);
        BudgetReservation r = tracker.TryReserve("search", 1);
        Assert.False(r.Granted);
        Assert.Contains("input token budget is exhausted", r.DeniedReason, StringComparison.Ordinal);
        Assert.Contains("input token budget exhausted", Assert.Single(tracker.GetSnapshot().ExhaustedReasons), StringComparison.Ordinal);
    }

    [Fact]
    public void MoneyLimit_DeniesCallsThatWouldOverspend()
    {
        var options = new BudgetOptions { MaxCostUsd = 0.005m };
        var tracker = new BudgetTracker(options);
        tracker.TryReserve("search", 4).Commit();
        BudgetReservation r = tracker.TryReserve("search", 2);
        Assert.False(r.Granted);
        Assert.Contains("money budget", r.DeniedReason, StringComparison.Ordinal);
        tracker.TryReserve("search", 1).Commit();
        Assert.True(tracker.IsExhausted);
    }

    [Fact]
    public void TimeLimit_UsesTimeProvider()
    {
        var time = new FakeTimeProvider();
        var tracker = new BudgetTracker(new BudgetOptions { MaxDuration = TimeSpan.FromMinutes(10) }, time);
        Assert.Equal(BudgetRegime.High, tracker.Regime);
        time.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(BudgetRegime.Low, tracker.Regime);
        Assert.True(tracker.TryReserve("x", 1).Granted);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(tracker.IsExhausted);
        BudgetReservation r = tracker.TryReserve("x", 1);
        Assert.False(r.Granted);
        Assert.Contains("time budget", r.DeniedReason, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(10), tracker.GetSnapshot().Elapsed);
    }

    [Theory]
    [InlineData(0, BudgetRegime.High)]
    [InlineData(3, BudgetRegime.High)]
    [InlineData(4, BudgetRegime.Medium)]
    [InlineData(7, BudgetRegime.Medium)]
    [InlineData(8, BudgetRegime.Low)]
    [InlineData(9, BudgetRegime.Low)]
    [InlineData(10, BudgetRegime.Critical)]
    public void Regime_FollowsRemainingFraction(int used, BudgetRegime expected)
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10).SetToolLimit("browse", 100));
        if (used > 0)
        {
            tracker.TryReserve("search", used).Commit();
        }

        Assert.Equal(expected, tracker.Regime);
        Assert.Equal((10 - used) / 10.0, tracker.GetSnapshot().RemainingFraction, 6);
    }

    [Fact]
    public void Regime_IsCriticalBelowTenPercentAndWhenAnyBudgetIsExhausted()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 100).SetToolLimit("browse", 1));
        tracker.TryReserve("search", 91).Commit();
        Assert.Equal(BudgetRegime.Critical, tracker.Regime);

        var other = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 100).SetToolLimit("browse", 1));
        other.TryReserve("browse", 1).Commit();
        Assert.Equal(BudgetRegime.Critical, other.Regime);
        Assert.Equal(1.0, new BudgetTracker(new BudgetOptions()).GetSnapshot().RemainingFraction);
    }

    [Fact]
    public void FormatBudgetBlock_ListsCategoriesAndLimitedTotals()
    {
        var options = new BudgetOptions { MaxCostUsd = 1m, MaxOutputTokens = 1000 }.SetToolLimit("search", 10).SetToolLimit("browse", 5);
        var tracker = new BudgetTracker(options);
        tracker.TryReserve("search", 3).Commit();
        tracker.RecordUsage(new UsageDetails { OutputTokenCount = 250 });
        string block = tracker.FormatBudgetBlock();
        Assert.StartsWith("<budget>\n", block, StringComparison.Ordinal);
        Assert.EndsWith("</budget>", block, StringComparison.Ordinal);
        Assert.Contains("Search used: 3, remaining: 7", block, StringComparison.Ordinal);
        Assert.Contains("Browse used: 0, remaining: 5", block, StringComparison.Ordinal);
        Assert.Contains("Output tokens used: 250, remaining: 750", block, StringComparison.Ordinal);
        Assert.Contains("Cost used: $0.003, remaining: $0.997", block, StringComparison.Ordinal);
        Assert.Contains("Regime: HIGH", block, StringComparison.Ordinal);
        Assert.DoesNotContain("Default", block, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_AreReplaceable()
    {
        var options = new BudgetOptions
        {
            BudgetBlockTemplate = "[{lines} | {regime} | {remaining_percent}%]",
            GuidelineTemplate = "Limits: {limits}. Now {regime}.",
        }.SetToolLimit("search", 4);
        var tracker = new BudgetTracker(options);
        tracker.TryReserve("search", 1).Commit();
        Assert.Equal("[Search used: 1, remaining: 3 | HIGH | 75%]", tracker.FormatBudgetBlock());
        Assert.Equal("Limits: search 4 units. Now HIGH.", tracker.FormatGuideline());
    }

    [Fact]
    public void DefaultGuideline_DescribesAllRegimes()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 10));
        string text = tracker.FormatGuideline();
        foreach (string regime in new[] { "HIGH (>= 70%", "MEDIUM (30-70%", "LOW (10-30%", "CRITICAL (< 10%" })
        {
            Assert.Contains(regime, text, StringComparison.Ordinal);
        }

        Assert.Contains("search 10 units", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_ReportChargesAndExhaustionOnce()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 2));
        var charged = new List<BudgetChargedEventArgs>();
        var exhausted = new List<BudgetExhaustedEventArgs>();
        tracker.Charged += (_, e) => charged.Add(e);
        tracker.Exhausted += (_, e) => exhausted.Add(e);
        tracker.TryReserve("search", 1).Commit();
        tracker.TryReserve("search", 1).Commit();
        tracker.TryReserve("search", 1).Dispose();
        Assert.Equal(2, charged.Count);
        Assert.Equal(0, charged[1].Remaining);
        BudgetExhaustedEventArgs e = Assert.Single(exhausted);
        Assert.Equal("search", e.Budget);
    }

    [Fact]
    public void Reset_StartsANewRun()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 2));
        tracker.TryReserve("search", 2).Commit();
        tracker.RecordUsage(new UsageDetails { InputTokenCount = 3 });
        tracker.Reset();
        BudgetSnapshot s = tracker.GetSnapshot();
        Assert.Equal(0, s.GetCategory("search")!.Used);
        Assert.Equal(0, s.InputTokens);
        Assert.False(s.IsExhausted);
    }

    [Fact]
    public void Guideline_ListsEveryLimit()
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxInputTokens = 5000, MaxOutputTokens = 800, MaxCostUsd = 0.5m, MaxDuration = TimeSpan.FromMinutes(2) }.SetToolLimit("browse", 4));
        string text = tracker.FormatGuideline();
        Assert.Contains("browse 4 units, 5000 input tokens, 800 output tokens, $0.5, 120 seconds", text, StringComparison.Ordinal);
        Assert.Contains("Current regime: HIGH.", text, StringComparison.Ordinal);
        Assert.Contains("no fixed limits", new BudgetTracker(new BudgetOptions()).FormatGuideline(), StringComparison.Ordinal);
        Assert.Contains("No budget limits set.", new BudgetTracker(new BudgetOptions()).FormatBudgetBlock(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeToolAsync_RejectsNullArguments()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        AIFunction f = AIFunctionFactory.Create(() => 1, "f");
        await Assert.ThrowsAsync<ArgumentNullException>(() => tracker.InvokeToolAsync(null!, [], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentNullException>(() => tracker.InvokeToolAsync(f, null!, CancellationToken.None));
        Assert.Throws<ArgumentNullException>(() => new BudgetTracker(null!));
        Assert.Throws<ArgumentException>(() => tracker.ResolveCategory(null, " "));
        Assert.Throws<ArgumentNullException>(() => tracker.CountUnits(null, "f", null!));
    }
}
