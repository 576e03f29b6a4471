using System.Reflection;

namespace Agents.Budget;

/// <summary>
/// One tool call of an agent framework, as an adapter hands it to <see cref="BudgetTracker.ChargeToolCallAsync"/>:
/// which tool it is (for its category and its units) and the arguments the model gave it.
/// </summary>
/// <remarks>
/// The tool is resolved exactly as for the built-in integrations: the first matching
/// <see cref="BudgetOptions.AddToolMapping(string, string, string?)"/> entry, else the <see cref="BudgetCategoryAttribute"/> of
/// <see cref="Method"/>, else <see cref="BudgetOptions.DefaultCategory"/>.
/// </remarks>
public sealed class BudgetToolCall
{
    /// <summary>Creates a tool call.</summary>
    /// <param name="functionName">The function's name (or the full <c>plugin_function</c> name when the framework has no plugin name).</param>
    /// <param name="arguments">The call's arguments, from which its units are counted; <see langword="null"/> when it has none.</param>
    /// <exception cref="ArgumentException"><paramref name="functionName"/> is <see langword="null"/>, empty or white space.</exception>
    public BudgetToolCall(string functionName, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        if (string.IsNullOrWhiteSpace(functionName))
        {
            throw new ArgumentException("A budgeted tool call needs the name of the function it calls; it was null, empty or white space.", nameof(functionName));
        }

        FunctionName = functionName;
        Arguments = arguments;
    }

    /// <summary>Gets the function's name.</summary>
    public string FunctionName { get; }

    /// <summary>Gets the call's arguments; <see langword="null"/> when it has none.</summary>
    public IReadOnlyDictionary<string, object?>? Arguments { get; }

    /// <summary>Gets the plugin (tool group) the function belongs to, as tool mappings name it; <see langword="null"/> for none.</summary>
    public string? PluginName { get; init; }

    /// <summary>Gets the method behind the function, whose <see cref="BudgetCategoryAttribute"/> is read; <see langword="null"/> when unknown.</summary>
    public MethodInfo? Method { get; init; }

    /// <summary>
    /// Gets a value indicating whether a call that ran has its result turned into text followed by the budget block
    /// (<see cref="BudgetedToolResult.Result"/>); when <see langword="false"/>, <see cref="BudgetedToolResult.Text"/> and
    /// <see cref="BudgetedToolResult.Result"/> are empty and the result is only in <see cref="BudgetedToolResult.RawResult"/>
    /// (for a streaming call, say). Refusals and errors are always formatted. Default: <see langword="true"/>.
    /// </summary>
    public bool FormatResult { get; init; } = true;
}
