using Microsoft.Extensions.AI;

namespace Agents.Budget;

/// <summary>Adds a <see cref="BudgetChatClient"/> to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class BudgetChatClientBuilderExtensions
{
    /// <summary>
    /// Adds budget tracking. Call it <i>before</i> <c>UseFunctionInvocation()</c> so that it wraps function invocation:
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
        var options = new BudgetChatClientOptions();
        configure?.Invoke(options);
        return builder.Use(inner => new BudgetChatClient(inner, tracker, options));
    }
}
