using System.Diagnostics.Metrics;

namespace Agents.Budget;

/// <summary>The OpenTelemetry-style instruments of one tracker, on the meter <c>Agents.Budget</c>.</summary>
internal sealed class BudgetMetrics : IDisposable
{
    public const string MeterName = "Agents.Budget";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public BudgetMetrics(IMeterFactory? meterFactory)
    {
        if (meterFactory is null)
        {
            _meter = new Meter(MeterName);
            _ownsMeter = true;
        }
        else
        {
            _meter = meterFactory.Create(MeterName);
        }

        Units = _meter.CreateCounter<long>("agents.budget.units", "{unit}", "Tool units charged, by category.");
        Denied = _meter.CreateCounter<long>("agents.budget.denied", "{call}", "Tool calls refused because a budget was exhausted, by category.");
        Tokens = _meter.CreateCounter<long>("agents.budget.tokens", "{token}", "Model tokens counted, by direction (input, output, cached_input).");
        Cost = _meter.CreateCounter<double>("agents.budget.cost", "USD", "Unified cost in US dollars, by source (tool, model).");
        Exhausted = _meter.CreateCounter<long>("agents.budget.exhausted", "{event}", "Hard limits reached, by budget.");
    }

    public Counter<long> Units { get; }

    public Counter<long> Denied { get; }

    public Counter<long> Tokens { get; }

    public Counter<double> Cost { get; }

    public Counter<long> Exhausted { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
