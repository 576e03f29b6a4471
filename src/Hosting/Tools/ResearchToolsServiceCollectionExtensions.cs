using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="ResearchToolset"/> from configuration.</summary>
public static class ResearchToolsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ResearchToolsOptions"/> from <paramref name="section"/> (for example <c>configuration.GetSection("Research")</c>),
    /// checks it now and registers the <see cref="ResearchToolset"/> (built on first use, disposed with the container).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The <c>Research</c> section.</param>
    /// <returns>The services.</returns>
    /// <exception cref="OptionsValidationException">An option is wrong; the message names its configuration path.</exception>
    public static IServiceCollection AddResearchTools(this IServiceCollection services, IConfiguration section)
    {
        var (options, path) = SectionBinding.Bind<ResearchToolsOptions>(section, ResearchToolsOptions.SectionName);
        return services.AddResearchTools(options, path);
    }

    /// <summary>
    /// Checks <paramref name="options"/> now and registers the <see cref="ResearchToolset"/> (built on first use, disposed with the
    /// container). When a <see cref="ResearchModel"/> is registered (<c>AddResearchModel</c>), <c>browse</c> condenses pages
    /// with it (or with <see cref="ResearchToolsOptions.SummarizerModel"/>) unless <see cref="ResearchToolsOptions.SummarizePages"/> is off.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The options.</param>
    /// <param name="section">Their configuration path, for messages.</param>
    /// <returns>The services.</returns>
    /// <exception cref="OptionsValidationException">An option is wrong; the message names it.</exception>
    public static IServiceCollection AddResearchTools(this IServiceCollection services, ResearchToolsOptions options, string section = ResearchToolsOptions.SectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ResearchToolset.Validate(options, section);
        services.TryAddSingleton(Options.Options.Create(options));
        services.TryAddSingleton(sp => ResearchToolset.Create(options, section, sp.GetService<ILoggerFactory>(), sp.GetService<TimeProvider>(), sp.GetService<ResearchModel>()));
        return services;
    }
}
