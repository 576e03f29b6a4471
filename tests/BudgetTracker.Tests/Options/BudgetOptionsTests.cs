namespace Agents.Budget.Tests.Options;

public sealed class BudgetOptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void SetToolLimit_ZeroOrNegative_FailsValidationNamingTheKey(long limit)
    {
        var options = new BudgetOptions().SetToolLimit("search", limit);

        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Contains("ToolLimits:search", ex.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(BudgetOptions), ex.OptionsType);
        Assert.Throws<OptionsValidationException>(() => new BudgetTracker(options));
    }

    [Fact]
    public void Limits_RejectZeroOrNegative_AllAtOnce()
    {
        var options = new BudgetOptions
        {
            MaxInputTokens = 0,
            MaxOutputTokens = -1,
            MaxCostUsd = 0m,
            MaxDuration = TimeSpan.FromSeconds(-1),
            FinalAnswerReserveTokens = -1,
            DefaultCategory = "",
            OnExhaustion = (ExhaustionBehavior)9,
        };
        options.Pricing.DefaultUnitPrice = -0.1m;
        options.Pricing.SetModelPrice("m", -1m, 1m).SetUnitPrice("default", -1m);
        options.RegimeThresholds.Low = 0.5;

        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(options.Validate);

        foreach (string key in new[]
        {
            "MaxInputTokens", "MaxOutputTokens", "MaxCostUsd", "MaxDuration", "FinalAnswerReserveTokens", "DefaultCategory", "OnExhaustion",
            "Pricing:DefaultUnitPrice", "Pricing:ModelPrices:m:InputPerMillionTokens", "Pricing:UnitPrices:default", "RegimeThresholds",
        })
        {
            Assert.Contains(ex.Failures, f => f.Contains(key, StringComparison.Ordinal));
        }

        options.MaxInputTokens = null;
        Assert.Null(options.MaxInputTokens);
    }

    [Fact]
    public void AddToolMapping_BadEntries_FailValidation()
    {
        var options = new BudgetOptions()
            .AddToolMapping("", "search")
            .AddToolMapping("x", " ")
            .AddToolMapping("y", "search", unitsArgument: "")
            .AddToolMapping(new BudgetToolMapping { Pattern = "z", Category = "search", UnitsArgument = "q", UnitCounter = _ => 1 });

        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Contains(ex.Failures, f => f.StartsWith("ToolMappings:0:Pattern", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ToolMappings:1:Category", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ToolMappings:2:UnitsArgument", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("ToolMappings:3", StringComparison.Ordinal) && f.Contains("not both", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RejectsPriceForUnknownCategory()
    {
        var options = new BudgetOptions().SetToolLimit("search", 3);
        options.Pricing.SetUnitPrice("serch", 0.01m);
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Contains("'serch'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("search", ex.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => new BudgetTracker(options));

        var declared = new BudgetOptions().AddCategory("browse").AddToolMapping("fetch*", "fetch");
        declared.Pricing.SetUnitPrice("browse", 0.002m).SetUnitPrice("fetch", 0m).SetUnitPrice("default", 0m);
        declared.Validate();
    }

    [Fact]
    public void Validate_RequiresLinesPlaceholder()
    {
        var options = new BudgetOptions { BudgetBlockTemplate = "<budget>{regime}</budget>" };
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(options.Validate);
        Assert.Contains("{lines}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AreFrozenOnceUsed()
    {
        var options = new BudgetOptions().SetToolLimit("search", 3);
        var tracker = new BudgetTracker(options);
        Assert.Same(options, tracker.Options);
        Assert.Throws<InvalidOperationException>(() => options.SetToolLimit("search", 30));
        Assert.Throws<InvalidOperationException>(() => options.MaxCostUsd = 1m);
        Assert.Throws<InvalidOperationException>(() => options.Pricing.SetUnitPrice("search", 1m));
        Assert.Throws<InvalidOperationException>(() => options.RegimeThresholds.High = 0.9);
        Assert.Throws<NotSupportedException>(() => options.ToolLimits["search"] = 30);
        Assert.Throws<NotSupportedException>(() => options.ToolMappings.Add(new BudgetToolMapping { Pattern = "x", Category = "y" }));
        Assert.Throws<NotSupportedException>(() => options.Pricing.ModelPrices["m"] = new BudgetModelPrice(1, 1));
        Assert.Equal(3, tracker.GetSnapshot().Categories.Single(c => c.Name == "search").Limit);
    }

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new BudgetOptions();
        Assert.Equal("default", options.DefaultCategory);
        Assert.Equal(0.001m, options.Pricing.DefaultUnitPrice);
        Assert.Equal(ExhaustionBehavior.Terminate, options.OnExhaustion);
        Assert.Equal(default, options.Pricing.GetModelPrice("any"));
        Assert.Null(options.MaxInputTokens);
        Assert.Null(options.MaxCostUsd);
        Assert.Equal((0.7, 0.3, 0.1), (options.RegimeThresholds.High, options.RegimeThresholds.Medium, options.RegimeThresholds.Low));
        Assert.Equal(BudgetOptions.DefaultGuidelineTemplate, options.GuidelineTemplate);
    }

    [Fact]
    public void ModelPrice_CachedInputDefaultsToInput()
    {
        Assert.Equal(2m, new BudgetModelPrice(2m, 5m).CachedInputPerMillionTokens);
        Assert.Equal(0.5m, new BudgetModelPrice(2m, 5m, 0.5m).CachedInputPerMillionTokens);
        Assert.Equal(new BudgetModelPrice(2m, 5m), new BudgetModelPrice(2m, 5m, 2m));
        Assert.Equal(new BudgetModelPrice(2m, 5m, 0.5m), new BudgetOptions().Pricing.SetModelPrice("m", 2m, 5m, 0.5m).GetModelPrice("M"));
    }

    [Theory]
    [InlineData(0.95, BudgetRegime.High)]
    [InlineData(0.85, BudgetRegime.Medium)]
    [InlineData(0.45, BudgetRegime.Low)]
    [InlineData(0.15, BudgetRegime.Critical)]
    public void RegimeThresholds_DecideTheTrackersRegime_AndShowInTheGuideline(double remainingAfterSpend, BudgetRegime expected)
    {
        var options = new BudgetOptions().SetToolLimit("search", 100);
        options.RegimeThresholds.High = 0.9;
        options.RegimeThresholds.Medium = 0.5;
        options.RegimeThresholds.Low = 0.2;
        var tracker = new BudgetTracker(options);

        tracker.TryReserve("search", (int)Math.Round((1 - remainingAfterSpend) * 100)).Commit();

        Assert.Equal(expected, tracker.Regime);
        string guideline = tracker.FormatGuideline();
        Assert.Contains("HIGH (>= 90% left)", guideline, StringComparison.Ordinal);
        Assert.Contains("MEDIUM (50-90% left)", guideline, StringComparison.Ordinal);
        Assert.Contains("CRITICAL (< 20% left", guideline, StringComparison.Ordinal);
    }
}
