using Agents.Samples.Common.Budgeting;

namespace Agents.Samples.Tests.Common;

public sealed class BudgetSpecTests
{
    [Fact]
    public void Parses_every_key()
    {
        var spec = BudgetSpec.Parse("search=20, browse=15,usd=0.50,input_tokens=100000,output_tokens=5000,time=5m");
        Assert.Equal(20, spec.Search);
        Assert.Equal(15, spec.Browse);
        Assert.Equal(0.50m, spec.Usd);
        Assert.Equal(100000, spec.InputTokens);
        Assert.Equal(5000, spec.OutputTokens);
        Assert.Equal(TimeSpan.FromMinutes(5), spec.Time);
        Assert.Equal("search=20,browse=15,usd=0.50,input_tokens=100000,output_tokens=5000,time=300s", spec.ToString());
        Assert.Equal(TimeSpan.FromSeconds(90), BudgetSpec.Parse("time=90").Time);
        Assert.Equal(1.5m, BudgetSpec.Parse("USD=$1.5").Usd);
    }

    [Theory]
    [InlineData("serach=20", "unknown key 'serach'. Did you mean 'search'?")]
    [InlineData("search=20,brows=3", "unknown key 'brows'. Did you mean 'browse'?")]
    [InlineData("dollars=3", "unknown key 'dollars'. Known keys: search, browse, usd, input_tokens, output_tokens, time.")]
    [InlineData("search=abc", "search must be a positive whole number, not 'abc'")]
    [InlineData("search=0", "search must be a positive whole number, not '0'")]
    [InlineData("search=-5", "search must be a positive whole number, not '-5'")]
    [InlineData("usd=1,50", "'50' is not key=value")]
    [InlineData("usd=free", "usd must be a positive amount such as 0.50, not 'free'")]
    [InlineData("time=5x", "time must be a positive duration such as 90s, 5m or 1h, not '5x'")]
    [InlineData("search=2,search=3", "the key 'search' is given more than once")]
    [InlineData("search", "'search' is not key=value")]
    [InlineData("search=", "'search=' is not key=value")]
    [InlineData("  ", "--budget is empty")]
    public void Typos_and_bad_values_give_clear_messages(string text, string expected)
    {
        var ex = Assert.Throws<CommandLineException>(() => BudgetSpec.Parse(text));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
