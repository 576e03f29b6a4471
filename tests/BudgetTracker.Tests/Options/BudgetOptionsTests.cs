namespace Agents.Budget.Tests.Options;

public sealed class BudgetOptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void WithToolLimit_RejectsZeroOrNegative(long limit)
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BudgetOptions().WithToolLimit("search", limit));
        Assert.Contains("search", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_RejectZeroOrNegative()
    {
        var options = new BudgetOptions();
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxInputTokens = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxOutputTokens = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxCostUsd = 0m);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxDuration = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxDuration = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentException>(() => options.DefaultCategory = "");
        Assert.Throws<ArgumentOutOfRangeException>(() => options.OnExhaustion = (ExhaustionBehavior)9);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Pricing.DefaultUnitPrice = -0.1m);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Pricing.SetModelPrice("m", -1m, 1m));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Pricing.SetUnitPrice("x", -1m));
        options.MaxInputTokens = null;
        Assert.Null(options.MaxInputTokens);
    }

    [Fact]
    public void MapTool_RejectsBadArguments()
    {
        var options = new BudgetOptions();
        Assert.Throws<ArgumentException>(() => options.MapTool("", "search"));
        Assert.Throws<ArgumentException>(() => options.MapTool("x", " "));
        Assert.Throws<ArgumentException>(() => options.MapTool("x", "search", unitsArgument: ""));
        ArgumentException both = Assert.Throws<ArgumentException>(() => options.MapTool("x", "search", "q", _ => 1));
        Assert.Contains("not both", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsPriceForUnknownCategory()
    {
        var options = new BudgetOptions().WithToolLimit("search", 3);
        options.Pricing.SetUnitPrice("serch", 0.01m);
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("'serch'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("search", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new BudgetTracker(options));

        var declared = new BudgetOptions().AddCategory("browse").MapTool("fetch*", "fetch");
        declared.Pricing.SetUnitPrice("browse", 0.002m).SetUnitPrice("fetch", 0m).SetUnitPrice("default", 0m);
        declared.Validate();
    }

    [Fact]
    public void Validate_RequiresLinesPlaceholder()
    {
        var options = new BudgetOptions { BudgetBlockTemplate = "<budget>{regime}</budget>" };
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("{lines}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AreFrozenOnceUsed()
    {
        var options = new BudgetOptions().WithToolLimit("search", 3);
        var tracker = new BudgetTracker(options);
        Assert.Same(options, tracker.Options);
        Assert.Throws<InvalidOperationException>(() => options.WithToolLimit("search", 30));
        Assert.Throws<InvalidOperationException>(() => options.MaxCostUsd = 1m);
        Assert.Throws<InvalidOperationException>(() => options.Pricing.SetUnitPrice("search", 1m));
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
    }
}
