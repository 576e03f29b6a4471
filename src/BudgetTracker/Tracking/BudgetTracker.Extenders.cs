using System.Reflection;

namespace Agents.Budget;

/// <summary>The entry points for adapters to agent frameworks other than Microsoft.Extensions.AI (the Semantic Kernel filter is one).</summary>
public sealed partial class BudgetTracker
{
    /// <summary>
    /// Charges, runs and commits one tool call through the tracker's one charge pipeline, for an adapter to another agent
    /// framework: the units are counted from the arguments and reserved (on this tracker, its ancestors and the shared
    /// ledger; a call refused only because its category is spent first waits for the <see cref="BudgetOptions.ExtensionApprover"/>),
    /// <paramref name="invoke"/> runs only when granted, as the <see cref="ToolChargeContext.Current"/> call of this tracker, and the
    /// units it used are committed when it returned or released when it threw or was cancelled; then the result is formatted
    /// with the budget block.
    /// </summary>
    /// <param name="call">The tool and its arguments.</param>
    /// <param name="invoke">Runs the tool and returns its result; it gets <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>
    /// The outcome: <see cref="BudgetedToolOutcome.Executed"/> with what the model should see in <see cref="BudgetedToolResult.Result"/>;
    /// or <see cref="BudgetedToolOutcome.Refused"/> or <see cref="BudgetedToolOutcome.InvalidArguments"/>, the tool not run, with the text
    /// the model should see instead. The tool's own exception propagates after its units were released.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> or <paramref name="invoke"/> is <see langword="null"/>.</exception>
    /// <exception cref="BudgetConfigurationException">The tool's <see cref="BudgetCategoryAttribute"/> names a unit argument its method does not have.</exception>
    public async Task<BudgetedToolResult> ChargeToolCallAsync(BudgetToolCall call, Func<CancellationToken, ValueTask<object?>> invoke, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(invoke);
        ResolvedTool tool = Tools.Resolve(call.PluginName, call.FunctionName, call.Method);
        return await Pipeline.InvokeAsync(tool, call.Arguments, invoke, call.FormatResult, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks, when a framework registers a tool, that the argument its units are counted from (named by a tool mapping or
    /// by its <see cref="BudgetCategoryAttribute"/>) is one of its parameters, so that a wrong mapping fails at start-up
    /// rather than at the model's first call.
    /// </summary>
    /// <param name="pluginName">The plugin (tool group) the function belongs to; <see langword="null"/> for none.</param>
    /// <param name="functionName">The function's name.</param>
    /// <param name="parameterNames">The names of the function's parameters, as the model sees them.</param>
    /// <param name="method">The method behind the function, whose attribute is read; <see langword="null"/> when unknown.</param>
    /// <exception cref="ArgumentException"><paramref name="functionName"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="parameterNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="BudgetConfigurationException">The tool's units are counted from an argument it does not have.</exception>
    public void ValidateToolParameters(string? pluginName, string functionName, IEnumerable<string> parameterNames, MethodInfo? method = null)
    {
        if (string.IsNullOrWhiteSpace(functionName))
        {
            throw new ArgumentException("A tool to validate needs the name of its function; it was null, empty or white space.", nameof(functionName));
        }

        ArgumentNullException.ThrowIfNull(parameterNames);
        ToolResolver.CheckUnitsArgument(Tools.Resolve(pluginName, functionName, method), parameterNames);
    }
}
