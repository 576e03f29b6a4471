using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Agents.Budget.Tests.Diagnostics;

public sealed class BudgetDiagnosticsTests
{
    [Fact]
    public void Meter_PublishesUnitsTokensCostAndDenials()
    {
        var options = new BudgetOptions().SetToolLimit("search", 3);
        options.Pricing.SetModelPrice("m", 1_000m, 2_000m);
        using var meters = new ListMeterFactory();
        var tracker = new BudgetTracker(options, meterFactory: meters);
        Meter meter = Assert.Single(meters.Meters);
        Assert.Equal("Agents.Budget", meter.Name);
        var longs = new List<(string Name, long Value, string Tag)>();
        var doubles = new List<(string Name, double Value, string Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => longs.Add((i.Name, v, tags.Length > 0 ? tags[0].Value?.ToString() ?? "" : "")));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => doubles.Add((i.Name, v, tags.Length > 0 ? tags[0].Value?.ToString() ?? "" : "")));
        listener.Start();

        tracker.TryReserve("search", 3).Commit();
        tracker.TryReserve("search", 1).Dispose();
        tracker.RecordUsage(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 }, "m");

        Assert.Contains(("agents.budget.units", 3L, "search"), longs);
        Assert.Contains(("agents.budget.denied", 1L, "search"), longs);
        Assert.Contains(("agents.budget.exhausted", 1L, "search"), longs);
        Assert.Contains(("agents.budget.tokens", 10L, "input"), longs);
        Assert.Contains(("agents.budget.tokens", 5L, "output"), longs);
        Assert.Contains(doubles, d => d.Name == "agents.budget.cost" && d.Tag == "tool" && Math.Abs(d.Value - 0.003) < 1e-12);
        Assert.Contains(doubles, d => d.Name == "agents.budget.cost" && d.Tag == "model" && Math.Abs(d.Value - 0.02) < 1e-12);
    }

    [Fact]
    public void Logger_ReportsDenialsAndExhaustion()
    {
        var logs = new ListLoggerFactory();
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 1), loggerFactory: logs);
        tracker.TryReserve("browse", 1).Commit();
        tracker.TryReserve("browse", 1).Dispose();

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("browse budget exhausted", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("Refused", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("Charged 1 browse", StringComparison.Ordinal));
    }

    [Fact]
    public void Snapshot_IsImmutable()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 5));
        tracker.TryReserve("search", 2).Commit();
        BudgetSnapshot before = tracker.GetSnapshot();
        tracker.TryReserve("search", 2).Commit();
        Assert.Equal(2, before.GetCategory("search")!.Used);
        Assert.Equal(3, before.GetCategory("search")!.Remaining);
        Assert.Equal(4, tracker.GetSnapshot().GetCategory("search")!.Used);
        Assert.Null(before.GetCategory("nope"));
    }

    [Fact]
    public void Snapshot_ToString_SummarizesUsage()
    {
        var options = new BudgetOptions().SetToolLimit("search", 2);
        var tracker = new BudgetTracker(options);
        tracker.TryReserve("search", 2).Commit();
        tracker.TryReserve("misc", 1).Commit();
        tracker.RecordUsage(new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3 });
        string text = tracker.GetSnapshot().ToString();
        Assert.StartsWith("search 2/2, misc 1; tokens in 12 (cached 0), out 3; cost $0.003;", text, StringComparison.Ordinal);
        Assert.Contains("regime Critical; exhausted: search budget exhausted (2 of 2 units used)", text, StringComparison.Ordinal);
    }
}
