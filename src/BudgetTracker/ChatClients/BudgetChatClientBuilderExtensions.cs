using Microsoft.Extensions.DependencyInjection;

namespace Agents.Budget;

/// <summary>Adds a <see cref="BudgetChatClient"/> to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class BudgetChatClientBuilderExtensions
{
    /// <summary>
    /// Adds budget tracking: one call charges and enforces every tool call, counts every model call's usage (streaming or
    /// not) and, with a token or money limit, reserves each model call before it is made. Call it <i>before</i>
    /// <c>UseFunctionInvocation()</c> so that it wraps function invocation:
    /// <c>new ChatClientBuilder(inner).UseBudgetTracker(tracker).UseFunctionInvocation().Build()</c>.
    /// See <see cref="BudgetChatClient"/> for how usage is counted exactly once.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="tracker">The tracker; it may be shared by several clients and kernels.</param>
    /// <param name="configure">Configures the client's options.</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseBudgetTracker(this ChatClientBuilder builder, BudgetTracker tracker, Action<BudgetChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tracker);
        BudgetChatClientOptions options = CreateOptions(configure);
        return builder.Use(inner => new BudgetChatClient(inner, tracker, options));
    }

    /// <summary>
    /// Adds budget tracking with the <see cref="BudgetTracker"/> registered in the builder's services (see
    /// <c>services.AddBudgetTracker(...)</c>), resolved, with its options validated, when the pipeline is built:
    /// <c>services.AddChatClient(model).UseBudgetTracker().UseFunctionInvocation()</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the client's options.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Building the pipeline throws <see cref="InvalidOperationException"/> when the services hold no tracker, and
    /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> when its options are invalid.</remarks>
    public static ChatClientBuilder UseBudgetTracker(this ChatClientBuilder builder, Action<BudgetChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        BudgetChatClientOptions options = CreateOptions(configure);
        return builder.Use((inner, services) => new BudgetChatClient(
            inner,
            services.GetService<BudgetTracker>()
                ?? throw new InvalidOperationException("UseBudgetTracker() found no BudgetTracker in the services: register one with services.AddBudgetTracker(configuration.GetSection(\"Budget\")), or pass a tracker."),
            options));
    }

    private static BudgetChatClientOptions CreateOptions(Action<BudgetChatClientOptions>? configure)
    {
        var options = new BudgetChatClientOptions();
        configure?.Invoke(options);
        return options;
    }
}
