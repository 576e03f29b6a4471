using System.ComponentModel;
using System.Reflection;
using System.Text.Json;

namespace Agents.Budget.Tests.Tracking;

public sealed class CategoryAndUnitTests
{
    private static readonly MethodInfo SearchMethod = typeof(Tools).GetMethod(nameof(Tools.Search))!;
    private static readonly MethodInfo PlainMethod = typeof(Tools).GetMethod(nameof(Tools.Plain))!;

    [Fact]
    public void ResolveCategory_ConfigWinsOverAttribute_AttributeOverDefault()
    {
        var options = new BudgetOptions { DefaultCategory = "other" }.AddToolMapping("web_*", "web").AddToolMapping("files.read", "disk");
        var tracker = new BudgetTracker(options);

        Assert.Equal("web", tracker.ResolveCategory("web", "search", SearchMethod));
        Assert.Equal("search", tracker.ResolveCategory("research", "search", SearchMethod));
        Assert.Equal("disk", tracker.ResolveCategory("files", "read"));
        Assert.Equal("other", tracker.ResolveCategory("files", "write", PlainMethod));
        Assert.Equal("web", tracker.ResolveCategory(null, "web_fetch"));
        Assert.Equal("other", tracker.ResolveCategory(null, "fetch"));
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("web_*", "web_search", true)]
    [InlineData("web_*", "WEB_Search", true)]
    [InlineData("*search", "web_search", true)]
    [InlineData("w*b*h", "web_search", true)]
    [InlineData("web_?", "web_x", false)]
    [InlineData("search", "web_search", false)]
    [InlineData("", "x", false)]
    public void WildcardMatch_Works(string pattern, string text, bool expected) =>
        Assert.Equal(expected, ToolMapping.WildcardMatch(pattern, text));

    [Fact]
    public void CountUnits_UsesArrayLengthFromAttributeOrMapping()
    {
        var options = new BudgetOptions().AddToolMapping("browse", "browse", unitsArgument: "urls").AddToolMapping("mixed", "search", unitCounter: a => ((int[])a["n"]!).Sum());
        var tracker = new BudgetTracker(options);

        Assert.Equal(3, tracker.CountUnits("r", "search", Args("queries", new[] { "a", "b", "c" }), SearchMethod));
        Assert.Equal(2, tracker.CountUnits("r", "search", Args("queries", JsonDocument.Parse("[\"a\",\"b\"]").RootElement), SearchMethod));
        Assert.Equal(4, tracker.CountUnits("r", "search", Args("queries", "[\"a\",\"b\",\"c\",\"d\"]"), SearchMethod));
        Assert.Equal(2, tracker.CountUnits(null, "browse", Args("urls", new List<string> { "u1", "u2" })));
        Assert.Equal(6, tracker.CountUnits(null, "mixed", Args("n", new[] { 1, 2, 3 })));
        Assert.Equal(1, tracker.CountUnits(null, "plain", Args("x", 5), PlainMethod));
    }

    [Fact]
    public void CountUnits_MissingOrNonArrayArgument_ThrowsClearError()
    {
        var tracker = new BudgetTracker(new BudgetOptions().AddToolMapping("count", "c", unitCounter: _ => 0).AddToolMapping("boom", "c", unitCounter: _ => throw new FormatException("bad n")));

        BudgetConfigurationException missing = Assert.Throws<BudgetConfigurationException>(() => tracker.CountUnits("r", "search", Args("other", 1), SearchMethod));
        Assert.Contains("without its 'queries' argument", missing.Message, StringComparison.Ordinal);
        BudgetConfigurationException scalar = Assert.Throws<BudgetConfigurationException>(() => tracker.CountUnits("r", "search", Args("queries", "just one"), SearchMethod));
        Assert.Contains("must be an array", scalar.Message, StringComparison.Ordinal);
        BudgetConfigurationException number = Assert.Throws<BudgetConfigurationException>(() => tracker.CountUnits("r", "search", Args("queries", JsonDocument.Parse("3").RootElement), SearchMethod));
        Assert.Contains("must be an array", number.Message, StringComparison.Ordinal);
        BudgetConfigurationException empty = Assert.Throws<BudgetConfigurationException>(() => tracker.CountUnits("r", "search", Args("queries", Array.Empty<string>()), SearchMethod));
        Assert.Contains("is empty", empty.Message, StringComparison.Ordinal);
        Assert.Contains("at least 1", Assert.Throws<BudgetConfigurationException>(() => tracker.CountUnits(null, "count", Args("a", 1))).Message, StringComparison.Ordinal);
        Assert.Contains("bad n", Assert.Throws<BudgetConfigurationException>(() => tracker.CountUnits(null, "boom", Args("a", 1))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attribute_NamingAMissingParameter_IsAConfigurationError()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        MethodInfo bad = typeof(Tools).GetMethod(nameof(Tools.BadAttribute))!;
        BudgetConfigurationException ex = Assert.Throws<BudgetConfigurationException>(() => tracker.ResolveCategory(null, "bad", bad));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeToolAsync_ChargesRunsAndAppendsBlock()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 5));
        int runs = 0;
        AIFunction search = AIFunctionFactory.Create(
            [BudgetCategory("search", UnitsArgument = "queries")] (string[] queries) => { runs++; return $"found {queries.Length}"; },
            "search");

        BudgetedToolResult ok = await tracker.InvokeToolAsync(search, new AIFunctionArguments { ["queries"] = new[] { "a", "b", "c" } }, CancellationToken.None);
        Assert.True(ok.Executed);
        Assert.Equal(3, ok.Units);
        Assert.Equal("search", ok.Category);
        Assert.False(ok.ShouldTerminate);
        Assert.StartsWith("found 3\n<budget>\nSearch used: 3, remaining: 2", ok.Result, StringComparison.Ordinal);

        BudgetedToolResult denied = await tracker.InvokeToolAsync(search, new AIFunctionArguments { ["queries"] = new[] { "a", "b", "c" } }, CancellationToken.None);
        Assert.False(denied.Executed);
        Assert.True(denied.ShouldTerminate);
        Assert.Contains("2 unit(s) left but this call needs 3", denied.Result, StringComparison.Ordinal);
        Assert.Contains("<budget>", denied.Result, StringComparison.Ordinal);

        BudgetedToolResult bad = await tracker.InvokeToolAsync(search, new AIFunctionArguments { ["queries"] = "oops" }, CancellationToken.None);
        Assert.False(bad.Executed);
        Assert.False(bad.ShouldTerminate);
        Assert.Contains("must be an array", bad.Result, StringComparison.Ordinal);

        BudgetedToolResult last = await tracker.InvokeToolAsync(search, new AIFunctionArguments { ["queries"] = new[] { "a", "b" } }, CancellationToken.None);
        Assert.True(last.Executed);
        Assert.True(last.ShouldTerminate);
        Assert.Equal(2, runs);
        Assert.Equal(5, tracker.GetSnapshot().GetCategory("search")!.Used);
    }

    [Fact]
    public async Task InvokeToolAsync_ReleasesOnExceptionAndCancellation()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("default", 2));
        AIFunction failing = AIFunctionFactory.Create(() => { throw new InvalidOperationException("tool broke"); }, "failing");
        AIFunction slow = AIFunctionFactory.Create(async (CancellationToken ct) => { await Task.Delay(Timeout.Infinite, ct); return "never"; }, "slow");

        await Assert.ThrowsAsync<InvalidOperationException>(() => tracker.InvokeToolAsync(failing, [], CancellationToken.None));
        using var cts = new CancellationTokenSource();
        Task<BudgetedToolResult> pending = tracker.InvokeToolAsync(slow, [], cts.Token);
        Assert.Equal(1, tracker.GetSnapshot().GetCategory("default")!.InFlight);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tracker.InvokeToolAsync(failing, [], cts.Token));

        BudgetCategorySnapshot s = tracker.GetSnapshot().GetCategory("default")!;
        Assert.Equal(0, s.Used);
        Assert.Equal(0, s.InFlight);
    }

    [Fact]
    public async Task InvokeToolAsync_SerializesNonStringResults()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        AIFunction f = AIFunctionFactory.Create(() => new { Title = "t", Count = 2 }, "obj");
        BudgetedToolResult r = await tracker.InvokeToolAsync(f, [], CancellationToken.None);
        Assert.StartsWith("{\"title\":\"t\",\"count\":2}\n<budget>", r.Result, StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Args(string name, object? value) => new() { [name] = value };

    private sealed class Tools
    {
        [BudgetCategory("search", UnitsArgument = "queries")]
        [Description("search")]
        public static string Search(string[] queries) => string.Join(",", queries);

        public static string Plain(int x) => x.ToString();

        [BudgetCategory("search", UnitsArgument = "nope")]
        public static string BadAttribute(string[] queries) => queries[0];
    }
}
