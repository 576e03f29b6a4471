using System.Diagnostics.Metrics;
using Agents.Budget;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="BudgetTracker"/> and its <see cref="BudgetOptions"/> in a service collection.</summary>
/// <remarks>
/// <para>The tracker is a singleton built from <see cref="IOptions{TOptions}"/> of <see cref="BudgetOptions"/>, with the
/// <see cref="TimeProvider"/>, <see cref="ILoggerFactory"/> and <see cref="IMeterFactory"/> found in the services (each
/// optional); an <see cref="IBudgetExtensionApprover"/> in the services becomes <see cref="BudgetOptions.ExtensionApprover"/>
/// unless that is set. The options are validated by the same checks as <see cref="BudgetOptions.Validate"/> when first resolved,
/// and when the host starts (<c>ValidateOnStart</c>): bad options throw an <see cref="OptionsValidationException"/> that
/// names each bad key. Calling it again adds configuration to the same options; the tracker is registered once.</para>
/// <para>The chat-client middleware finds the tracker in the services:
/// <c>services.AddChatClient(model).UseBudgetTracker().UseFunctionInvocation()</c>.</para>
/// </remarks>
public static class BudgetServiceCollectionExtensions
{
    /// <summary>Registers a budget tracker whose options are bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, for example <c>configuration.GetSection("Budget")</c>; see <see cref="BudgetOptions"/> for its shape.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddBudgetTracker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BudgetOptions>().Configure(options => BudgetConfigurationBinder.Bind(configuration, options));
        return AddTracker(services);
    }

    /// <summary>Registers a budget tracker whose options are set by <paramref name="configure"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, for example <c>o =&gt; o.SetToolLimit("search", 10)</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddBudgetTracker(this IServiceCollection services, Action<BudgetOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<BudgetOptions>().Configure(configure);
        return AddTracker(services);
    }

    private static IServiceCollection AddTracker(IServiceCollection services)
    {
        services.AddOptions<BudgetOptions>()
            .PostConfigure<IServiceProvider>((options, provider) => options.ExtensionApprover ??= provider.GetService<IBudgetExtensionApprover>())
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BudgetOptions>>(BudgetOptionsValidator.Instance));
        services.TryAddSingleton(provider => new BudgetTracker(
            provider.GetRequiredService<IOptions<BudgetOptions>>().Value,
            provider.GetService<TimeProvider>(),
            provider.GetService<ILoggerFactory>(),
            provider.GetService<IMeterFactory>()));
        return services;
    }
}
