using OpenAI.Chat;

namespace Agents.Budget.Tests.Extenders;

/// <summary>The public API for adapters refuses bad input with clear messages and checks tool registrations.</summary>
public sealed class ExtenderArgumentTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void BudgetToolCall_WithoutAFunctionName_IsRefused(string? name)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new BudgetToolCall(name!));
        Assert.Equal("functionName", error.ParamName);
        Assert.Contains("needs the name of the function", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BudgetToolCall_Defaults_FormatTheResult_WithNoPluginOrMethod()
    {
        var call = new BudgetToolCall("search");
        Assert.Equal("search", call.FunctionName);
        Assert.True(call.FormatResult);
        Assert.Null(call.PluginName);
        Assert.Null(call.Method);
        Assert.Null(call.Arguments);
    }

    [Fact]
    public async Task ChargeToolCallAsync_NullCallOrDelegate_IsRefusedByName()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        ArgumentNullException noCall = await Assert.ThrowsAsync<ArgumentNullException>(() => tracker.ChargeToolCallAsync(null!, _ => ValueTask.FromResult<object?>(null)));
        ArgumentNullException noInvoke = await Assert.ThrowsAsync<ArgumentNullException>(() => tracker.ChargeToolCallAsync(new BudgetToolCall("search"), null!));
        Assert.Equal("call", noCall.ParamName);
        Assert.Equal("invoke", noInvoke.ParamName);
    }

    [Fact]
    public void ValidateToolParameters_MappingOnAMissingArgument_FailsAtRegistration()
    {
        var tracker = new BudgetTracker(new BudgetOptions().AddToolMapping("web_search", "search", unitsArgument: "queries"));

        BudgetConfigurationException error = Assert.Throws<BudgetConfigurationException>(() => tracker.ValidateToolParameters("web", "search", ["query"]));
        tracker.ValidateToolParameters("web", "search", ["queries", "count"]);
        tracker.ValidateToolParameters(null, "other", []);

        Assert.Contains("'web_search'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'queries'", error.Message, StringComparison.Ordinal);
        Assert.Contains("query", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateToolParameters_BadInput_IsRefusedByName()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        ArgumentException noName = Assert.Throws<ArgumentException>(() => tracker.ValidateToolParameters(null, " ", []));
        ArgumentNullException noParameters = Assert.Throws<ArgumentNullException>(() => tracker.ValidateToolParameters(null, "search", null!));
        Assert.Equal("functionName", noName.ParamName);
        Assert.Contains("needs the name of its function", noName.Message, StringComparison.Ordinal);
        Assert.Equal("parameterNames", noParameters.ParamName);
    }

    [Fact]
    public void RecordUsageOnce_OfAConnectorsUsageObject_CountsItOnce()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        object usage = OpenAIChatModelFactory.ChatTokenUsage(outputTokenCount: 20, inputTokenCount: 100, totalTokenCount: 120);

        Assert.True(tracker.RecordUsageOnce(usage, "gpt"));
        Assert.False(tracker.RecordUsageOnce(usage, "gpt"));

        Assert.Equal(100, tracker.GetSnapshot().InputTokens);
        Assert.Equal(20, tracker.GetSnapshot().OutputTokens);
        Assert.Equal("usage", Assert.Throws<ArgumentNullException>(() => tracker.RecordUsageOnce((object)null!)).ParamName);
        Assert.Throws<ArgumentException>(() => tracker.RecordUsageOnce(new object()));
    }

    [Fact]
    public void IsKnownCategory_KnowsDefaultLimitMappingAndAddedCategories_TrimmedAndIgnoringCase()
    {
        var options = new BudgetOptions().SetToolLimit("search", 3).AddToolMapping("browse*", "browse").AddCategory("reading");

        Assert.True(options.IsKnownCategory(options.DefaultCategory));
        Assert.True(options.IsKnownCategory(" Search "));
        Assert.True(options.IsKnownCategory("BROWSE"));
        Assert.True(options.IsKnownCategory("reading"));
        Assert.False(options.IsKnownCategory("memory"));
        Assert.Equal("category", Assert.Throws<ArgumentNullException>(() => options.IsKnownCategory(null!)).ParamName);
    }
}
