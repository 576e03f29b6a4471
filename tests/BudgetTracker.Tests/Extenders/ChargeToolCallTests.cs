using Microsoft.Extensions.AI;

namespace Agents.Budget.Tests.Extenders;

/// <summary>
/// An adapter to another agent framework, written only against the core's public API (<see cref="BudgetTracker.ChargeToolCallAsync"/>),
/// charges, refuses and formats a tool call exactly as the built-in <see cref="BudgetTracker.InvokeToolAsync"/> does.
/// </summary>
public sealed class ChargeToolCallTests
{
    [Fact]
    public async Task ThirdPartyAdapter_ChargesRefusesAndFormats_ExactlyAsInvokeToolAsync()
    {
        BudgetTracker viaAdapter = Tracker();
        BudgetTracker viaCore = Tracker();
        var adapter = new TinyAdapter(viaAdapter);
        int runs = 0;
        BudgetTracker? chargedTo = null;
        int reservedInside = 0;
        object? Fetch(IReadOnlyDictionary<string, object?> args)
        {
            runs++;
            chargedTo = ToolChargeContext.Current?.Tracker;
            reservedInside = ToolChargeContext.Current?.ReservedUnits ?? -1;
            return $"{((string[])args["urls"]!).Length} pages";
        }

        AIFunction core = AIFunctionFactory.Create((string[] urls) => $"{urls.Length} pages", "fetch_pages");

        BudgetedToolResult ran = await adapter.CallAsync("fetch_pages", Urls(2), Fetch);
        BudgetedToolResult refused = await adapter.CallAsync("fetch_pages", Urls(2), Fetch);
        BudgetedToolResult coreRan = await viaCore.InvokeToolAsync(core, new AIFunctionArguments(Urls(2)), CancellationToken.None);
        BudgetedToolResult coreRefused = await viaCore.InvokeToolAsync(core, new AIFunctionArguments(Urls(2)), CancellationToken.None);

        Assert.Equal(1, runs);
        Assert.Same(viaAdapter, chargedTo);
        Assert.Equal(2, reservedInside);
        Assert.Null(ToolChargeContext.Current);

        Assert.Equal(BudgetedToolOutcome.Executed, ran.Outcome);
        Assert.Equal(2, ran.Units);
        Assert.Equal("fetch", ran.Category);
        Assert.Equal("2 pages", ran.Text);
        Assert.StartsWith("2 pages\n<budget>", ran.Result, StringComparison.Ordinal);
        Assert.Equal(coreRan.Result, ran.Result);

        Assert.Equal(BudgetedToolOutcome.Refused, refused.Outcome);
        Assert.True(refused.ShouldTerminate);
        Assert.Null(refused.RawResult);
        Assert.Contains("<budget>", refused.Result, StringComparison.Ordinal);
        Assert.Equal(coreRefused.Result, refused.Result);

        Assert.Equal(viaCore.GetSnapshot().GetCategory("fetch")!.Used, viaAdapter.GetSnapshot().GetCategory("fetch")!.Used);
        Assert.Equal(2, viaAdapter.GetSnapshot().GetCategory("fetch")!.Used);
        Assert.Equal(0, viaAdapter.GetSnapshot().GetCategory("fetch")!.InFlight);
    }

    [Fact]
    public async Task ThirdPartyAdapter_ToolThatThrows_IsReleased_AndBadArgumentsDoNotRun()
    {
        BudgetTracker tracker = Tracker();
        var adapter = new TinyAdapter(tracker);
        int runs = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => adapter.CallAsync("fetch_pages", Urls(2), _ => throw new InvalidOperationException("boom")));
        BudgetedToolResult bad = await adapter.CallAsync("fetch_pages", new Dictionary<string, object?> { ["urls"] = 42 }, _ => ++runs);

        Assert.Equal(BudgetedToolOutcome.InvalidArguments, bad.Outcome);
        Assert.Equal(0, runs);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("fetch")!.Used);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("fetch")!.InFlight);
    }

    [Fact]
    public async Task ChargeToolCallAsync_WithoutFormatting_ChargesAndReturnsTheRawResultOnly()
    {
        BudgetTracker tracker = Tracker();
        var marker = new object();
        var call = new BudgetToolCall("pages", Urls(3)) { PluginName = "fetch", FormatResult = false };

        BudgetedToolResult result = await tracker.ChargeToolCallAsync(call, _ => ValueTask.FromResult<object?>(marker));

        Assert.True(result.Executed);
        Assert.Same(marker, result.RawResult);
        Assert.Equal(string.Empty, result.Text);
        Assert.Equal(string.Empty, result.Result);
        Assert.Equal(3, tracker.GetSnapshot().GetCategory("fetch")!.Used);
    }

    [Fact]
    public async Task ChargeToolCallAsync_ReadsTheMethodsAttribute_WhenNoMappingMatches()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 5));
        var call = new BudgetToolCall("lookup", new Dictionary<string, object?> { ["queries"] = new[] { "a", "b" } })
        {
            Method = typeof(ChargeToolCallTests).GetMethod(nameof(Lookup), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static),
        };

        BudgetedToolResult result = await tracker.ChargeToolCallAsync(call, _ => ValueTask.FromResult<object?>("ok"), CancellationToken.None);

        Assert.Equal("search", result.Category);
        Assert.Equal(2, result.Units);
    }

    [Fact]
    public async Task ChargeToolCallAsync_CancelledBeforeTheRun_ReleasesTheUnits()
    {
        BudgetTracker tracker = Tracker();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tracker.ChargeToolCallAsync(new BudgetToolCall("fetch_pages", Urls(1)), _ => ValueTask.FromResult<object?>("x"), cts.Token));

        Assert.Equal(0, tracker.GetSnapshot().GetCategory("fetch")!.Used);
        Assert.Equal(0, tracker.GetSnapshot().GetCategory("fetch")!.InFlight);
    }

    [BudgetCategory("search", UnitsArgument = "queries")]
    private static string Lookup(string[] queries) => string.Join(",", queries);

    private static BudgetTracker Tracker() =>
        new(new BudgetOptions().SetToolLimit("fetch", 3).AddToolMapping("fetch_*", "fetch", unitsArgument: "urls"));

    private static Dictionary<string, object?> Urls(int n) => new() { ["urls"] = Enumerable.Range(0, n).Select(i => $"https://example.org/{i}").ToArray() };

    /// <summary>What a third party writes for its own framework: a tool is a name and a delegate over the arguments.</summary>
    private sealed class TinyAdapter(BudgetTracker tracker)
    {
        public Task<BudgetedToolResult> CallAsync(string name, IReadOnlyDictionary<string, object?> arguments, Func<IReadOnlyDictionary<string, object?>, object?> tool) =>
            tracker.ChargeToolCallAsync(new BudgetToolCall(name, arguments), _ => ValueTask.FromResult(tool(arguments)), CancellationToken.None);
    }
}
