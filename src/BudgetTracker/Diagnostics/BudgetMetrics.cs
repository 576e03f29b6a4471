using System.Diagnostics.Metrics;

namespace Agents.Budget;

/// <summary>The OpenTelemetry-style instruments on the meter <c>Agents.Budget</c>.</summary>
/// <remarks>
/// Without an <see cref="IMeterFactory"/> all trackers share one process-wide meter (as Polly does), so that
/// short-lived trackers never leak meters; with a factory each tracker gets the factory's meter, which the factory owns.
/// </remarks>
internal sealed class BudgetMetrics
{
    public const string MeterName = "Agents.Budget";

    private static readonly Lazy<BudgetMetrics> SharedInstance = new(() => new BudgetMetrics(new Meter(MeterName)));

    private BudgetMetrics(Meter meter)
    {
        Units = meter.CreateCounter<long>("agents.budget.units", "{unit}", "Tool units charged, by category.");
        Denied = meter.CreateCounter<long>("agents.budget.denied", "{call}", "Tool calls refused because a budget was exhausted, by category.");
        Tokens = meter.CreateCounter<long>("agents.budget.tokens", "{token}", "Model tokens counted, by direction (input, output, cached_input).");
        Cost = meter.CreateCounter<double>("agents.budget.cost", "USD", "Unified cost in US dollars, by source (tool, model).");
        Exhausted = meter.CreateCounter<long>("agents.budget.exhausted", "{event}", "Hard limits reached, by budget.");
    }

    public Counter<long> Units { get; }

    public Counter<long> Denied { get; }

    public Counter<long> Tokens { get; }

    public Counter<double> Cost { get; }

    public Counter<long> Exhausted { get; }

    public static BudgetMetrics Create(IMeterFactory? meterFactory) =>
        meterFactory is null ? SharedInstance.Value : new BudgetMetrics(meterFactory.Create(MeterName));
}
