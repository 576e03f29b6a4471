using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Agents.Hosting;

/// <summary>
/// Exports the traces and metrics of the sources <c>Agents.*</c> and <c>Microsoft.Extensions.AI</c> (the model calls'
/// <c>UseOpenTelemetry()</c> spans) to the console or an OTLP collector, as <see cref="TelemetryOptions"/> say. Dispose
/// it at exit to flush what is left.
/// </summary>
public sealed class ResearchTelemetry : IDisposable
{
    /// <summary>The activity sources and meters exported.</summary>
    public static IReadOnlyList<string> Sources { get; } = ["Agents.*", "Microsoft.Extensions.AI", "Experimental.Microsoft.Extensions.AI"];

    private readonly TracerProvider? _tracing;
    private readonly MeterProvider? _metrics;

    private ResearchTelemetry(TracerProvider? tracing, MeterProvider? metrics)
    {
        _tracing = tracing;
        _metrics = metrics;
    }

    /// <summary>Gets a value indicating whether anything is exported.</summary>
    public bool Enabled => _tracing is not null;

    /// <summary>Starts exporting (nothing with exporter <c>none</c>).</summary>
    /// <param name="options">The options.</param>
    /// <param name="section">Their configuration path, for messages (for example <c>Telemetry</c>).</param>
    /// <returns>The running export; dispose it to flush and stop.</returns>
    /// <exception cref="OptionsValidationException">An option is wrong; the message names it.</exception>
    public static ResearchTelemetry Start(TelemetryOptions options, string section = TelemetryOptions.SectionName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exporter = options.Exporter?.Trim().ToLowerInvariant();
        Uri? endpoint = null;
        var failures = new List<string>();
        if (exporter is not ("none" or "" or null or "console" or "otlp"))
        {
            failures.Add($"{section}:Exporter '{options.Exporter}' is unknown; use 'none', 'console' or 'otlp'.");
        }

        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint) && !Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out endpoint))
        {
            failures.Add($"{section}:OtlpEndpoint '{options.OtlpEndpoint}' is not an absolute address such as http://localhost:4317.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            failures.Add($"{section}:ServiceName is empty.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(section, typeof(TelemetryOptions), failures);
        }

        if (exporter is not ("console" or "otlp"))
        {
            return new ResearchTelemetry(null, null);
        }

        var resource = ResourceBuilder.CreateDefault().AddService(options.ServiceName);
        var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource([.. Sources]);
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter([.. Sources]);
        if (exporter == "console")
        {
            tracing.AddConsoleExporter();
            metrics.AddConsoleExporter();
        }
        else
        {
            tracing.AddOtlpExporter(o => o.Endpoint = endpoint ?? o.Endpoint);
            metrics.AddOtlpExporter(o => o.Endpoint = endpoint ?? o.Endpoint);
        }

        return new ResearchTelemetry(tracing.Build(), metrics.Build());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
    }
}
