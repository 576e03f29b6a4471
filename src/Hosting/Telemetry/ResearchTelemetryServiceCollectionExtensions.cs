namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="ResearchTelemetry"/> from configuration.</summary>
public static class ResearchTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="TelemetryOptions"/> from <paramref name="section"/> (for example <c>configuration.GetSection("Telemetry")</c>)
    /// and starts the export now, so that the first spans are caught; the container disposes (flushes) it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The <c>Telemetry</c> section.</param>
    /// <returns>The services.</returns>
    /// <exception cref="OptionsValidationException">An option is wrong; the message names it.</exception>
    public static IServiceCollection AddResearchTelemetry(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        var (options, path) = SectionBinding.Bind<TelemetryOptions>(section, TelemetryOptions.SectionName);
        services.AddSingleton(ResearchTelemetry.Start(options, path));
        return services;
    }
}
