using Agents.Budget;
using Agents.Samples.Common.Budgeting;

namespace Agents.Samples.Tests.Common;

public sealed class BudgetFactoryTests
{
    [Fact]
    public void Limits_units_money_tokens_and_time_and_maps_the_web_tools()
    {
        var options = BudgetFactory.CreateOptions(BudgetSpec.Parse("search=3,usd=0.5,input_tokens=100,output_tokens=50,time=1m"), PriceSpec.Parse("input=1,output=2,cached=0.5"), ExhaustionBehavior.FinalAnswerWithoutTools);
        Assert.Equal(3, options.ToolLimits["search"]);
        Assert.False(options.ToolLimits.ContainsKey("browse"));
        Assert.Equal((0.5m, 100L, 50L, TimeSpan.FromMinutes(1)), (options.MaxCostUsd, options.MaxInputTokens, options.MaxOutputTokens, options.MaxDuration));
        Assert.Equal(ExhaustionBehavior.FinalAnswerWithoutTools, options.OnExhaustion);

        var tracker = new BudgetTracker(options);
        Assert.Equal("search", tracker.ResolveCategory(null, "web_search"));
        Assert.Equal("browse", tracker.ResolveCategory(null, "browser_browse"));
        Assert.Equal(2, tracker.CountUnits(null, "web_search", new Dictionary<string, object?> { ["queries"] = new[] { "a", "b" } }));
        Assert.Equal(options.DefaultCategory, tracker.ResolveCategory(null, "browser_find_in_page"));
        Assert.Equal(0m, options.Pricing.GetUnitPrice(options.DefaultCategory));
        Assert.Equal(0.001m, options.Pricing.GetUnitPrice("search"));
        Assert.Contains(tracker.GetSnapshot().Categories, c => c.Name == "browse" && c.Limit is null);
    }

    [Theory]
    [InlineData("input=1", "needs both input= and output=")]
    [InlineData("input=1,outptu=2", "Did you mean 'output'?")]
    [InlineData("input=one,output=2", "input must be an amount")]
    [InlineData("input=1,output=2,input=3", "given more than once")]
    public void Price_typos_are_explained(string text, string expected)
    {
        Assert.Contains(expected, Assert.Throws<CommandLineException>(() => PriceSpec.Parse(text)).Message, StringComparison.Ordinal);
    }
}
