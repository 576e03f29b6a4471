namespace Agents.Hosting;

/// <summary>Where traces and metrics go, bound from a <c>Telemetry</c> configuration section.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The usual configuration section name.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>Gets or sets the exporter: <c>none</c> (the default), <c>console</c> (standard output) or <c>otlp</c> (an OpenTelemetry collector).</summary>
    public string Exporter { get; set; } = "none";

    /// <summary>Gets or sets the collector address for <c>otlp</c>; default the exporter's own (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>http://localhost:4317</c>).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Gets or sets the service name the spans carry. Default <c>agents</c>.</summary>
    public string ServiceName { get; set; } = "agents";
}
