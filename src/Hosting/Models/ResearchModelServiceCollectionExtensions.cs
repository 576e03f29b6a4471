using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the research model (<see cref="ResearchModel"/> and <see cref="IChatClient"/>) from configuration.</summary>
public static class ResearchModelServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ResearchModelOptions"/> from <paramref name="section"/> (for example <c>configuration.GetSection("Model")</c>),
    /// checks it now and, when a provider is set, registers the model (unless one is registered already).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The <c>Model</c> section.</param>
    /// <returns>The services.</returns>
    /// <exception cref="OptionsValidationException">An option is wrong; the message names its configuration path.</exception>
    public static IServiceCollection AddResearchModel(this IServiceCollection services, IConfiguration section)
    {
        var (options, path) = SectionBinding.Bind<ResearchModelOptions>(section, ResearchModelOptions.SectionName);
        return services.AddResearchModel(options, path);
    }

    /// <summary>
    /// Checks <paramref name="options"/> now and, when a provider is set, registers the model (unless one is registered
    /// already): <see cref="ResearchModel"/> and <see cref="IChatClient"/>, created on first use. An endpoint is called
    /// through the <see cref="ResearchModelFactory.HttpClientName"/> client with the standard resilience handler.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The options.</param>
    /// <param name="section">Their configuration path, for messages.</param>
    /// <returns>The services.</returns>
    /// <exception cref="OptionsValidationException">An option is wrong; the message names it.</exception>
    public static IServiceCollection AddResearchModel(this IServiceCollection services, ResearchModelOptions options, string section = ResearchModelOptions.SectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ResearchModelFactory.Validate(options, section);
        services.TryAddSingleton(Options.Options.Create(options));
        services.AddHttpClient(ResearchModelFactory.HttpClientName)
            .AddStandardResilienceHandler(o => ResearchModelFactory.Configure(o, options.Resilience));
        if (options.NormalizedProvider is null)
        {
            return services;
        }

        services.TryAddSingleton(sp => ResearchModelFactory.Create(
            options,
            section,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(ResearchModelFactory.HttpClientName),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<TimeProvider>())!);

        // Registered through a factory so that the container disposes the client (and a local engine it owns).
        services.TryAddSingleton<IChatClient>(sp => sp.GetRequiredService<ResearchModel>().Client);
        return services;
    }
}
