using System.Diagnostics.Metrics;

namespace Agents.Budget.Tests.Fakes;

/// <summary>Creates meters and remembers them, so a listener can pick exactly this tracker's meter.</summary>
internal sealed class ListMeterFactory : IMeterFactory
{
    public List<Meter> Meters { get; } = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        Meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (Meter meter in Meters)
        {
            meter.Dispose();
        }
    }
}
