using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace Agents.Budget;

/// <summary>Adds a <see cref="BudgetTracker"/> to a Semantic Kernel kernel.</summary>
/// <remarks>
/// <para>The tracker registers as both an <see cref="IFunctionInvocationFilter"/> (charges units, refuses calls
/// beyond the budget, appends the budget block to the tool result the model sees) and an
/// <see cref="IAutoFunctionInvocationFilter"/> (counts the usage found in the assistant message's
/// <c>Metadata["Usage"]</c> and stops the loop: <c>Terminate</c> on any hard limit, or after one final
/// chance with <see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/>).</para>
/// <para>Model usage: with SK's own connectors (OpenAI) the filter counts the <c>ChatTokenUsage</c> of each
/// tool-calling assistant message once; the final assistant message (without tool calls) never passes an
/// auto-invocation filter, so record it with <see cref="BudgetTracker.RecordUsage(object?, string?)"/>. With an
/// <c>IChatClient</c>-backed service, count usage in the chat pipeline instead and set
/// <see cref="BudgetKernelOptions.CountUsage"/> to <see langword="false"/> here so nothing is counted twice:
/// <code>
/// IChatClient client = new ChatClientBuilder(inner)
///     .UseKernelFunctionInvocation()
///     .UseBudgetTracker(tracker, o =&gt; o.ChargeTools = false)   // counts every model call; removes tools once exhausted
///     .Build();
/// kernel.UseBudgetTracker(tracker, o =&gt; o.CountUsage = false);
/// </code>
/// That usage layer also gives <see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/> a real tool-free final
/// call; without it tools cannot be removed from an SK request, so further calls are refused with a text telling
/// the model to answer, and a refused call after such a refusal ends the loop.</para>
/// </remarks>
public static class BudgetKernelExtensions
{
    /// <summary>Adds the tracker's filters to <paramref name="kernel"/> and checks the tool mappings against its plugins.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="tracker">The tracker; it may be shared with other kernels.</param>
    /// <param name="configure">Sets the filters' options, for example <c>o =&gt; o.CountUsage = false</c>.</param>
    /// <returns>The kernel.</returns>
    /// <exception cref="BudgetConfigurationException">A mapping or attribute names a unit argument that a plugin function does not have.</exception>
    public static Kernel UseBudgetTracker(this Kernel kernel, BudgetTracker tracker, Action<BudgetKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(tracker);
        ValidatePlugins(kernel.Plugins, tracker);
        if (kernel.FunctionInvocationFilters.OfType<BudgetKernelFilter>().Any(f => ReferenceEquals(f.Tracker, tracker)))
        {
            return kernel;
        }

        var filter = new BudgetKernelFilter(tracker, Configure(configure));
        kernel.FunctionInvocationFilters.Add(filter);
        kernel.AutoFunctionInvocationFilters.Add(filter);
        return kernel;
    }

    /// <summary>Registers the tracker's filters in the kernel builder's services.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="tracker">The tracker.</param>
    /// <param name="configure">Sets the filters' options, for example <c>o =&gt; o.CountUsage = false</c>.</param>
    /// <returns>The builder.</returns>
    public static IKernelBuilder AddBudgetTracker(this IKernelBuilder builder, BudgetTracker tracker, Action<BudgetKernelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tracker);
        var filter = new BudgetKernelFilter(tracker, Configure(configure));
        builder.Services.AddSingleton<IFunctionInvocationFilter>(filter);
        builder.Services.AddSingleton<IAutoFunctionInvocationFilter>(filter);
        return builder;
    }

    internal static void ValidatePlugins(IEnumerable<KernelPlugin> plugins, BudgetTracker tracker)
    {
        foreach (KernelPlugin plugin in plugins)
        {
            foreach (KernelFunction function in plugin)
            {
                tracker.ValidateToolParameters(plugin.Name, function.Name, function.Metadata.Parameters.Select(p => p.Name), function.UnderlyingMethod);
            }
        }
    }

    private static BudgetKernelOptions Configure(Action<BudgetKernelOptions>? configure)
    {
        var options = new BudgetKernelOptions();
        configure?.Invoke(options);
        return options;
    }
}
