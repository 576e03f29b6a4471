using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="ResearchAgentFactory"/> from configuration.</summary>
public static class ResearchAgentServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="ResearchAgentOptions"/> from <paramref name="section"/> (for example <c>configuration.GetSection("Agent")</c>),
    /// checks it now and registers the <see cref="ResearchAgentFactory"/>; it needs <c>AddResearchModel</c> and <c>AddResearchTools</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The <c>Agent</c> section.</param>
    /// <returns>The services.</returns>
    /// <exception cref="OptionsValidationException">An option is wrong; the message names its configuration path.</exception>
    public static IServiceCollection AddResearchAgent(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        var (options, path) = SectionBinding.Bind<ResearchAgentOptions>(section, ResearchAgentOptions.SectionName);
        var failures = new List<string>();
        var generated = new ResearchAgentOptionsValidator().Validate(path, options);
        if (generated.Failed)
        {
            failures.AddRange(generated.Failures.Select(f => $"{path}: {f}"));
        }

        if (ResearchAgents.Canonical(options.Strategy) is null)
        {
            failures.Add($"{path}:Strategy '{options.Strategy}' is unknown; choose from {string.Join(", ", ResearchAgents.Strategies)}.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(path, typeof(ResearchAgentOptions), failures);
        }

        services.TryAddSingleton(Options.Options.Create(options));
        services.TryAddSingleton<ResearchAgentFactory>();
        return services;
    }
}
