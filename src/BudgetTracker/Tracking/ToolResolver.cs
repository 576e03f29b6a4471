using System.Collections.Concurrent;
using System.Reflection;

namespace Agents.Budget;

/// <summary>
/// Resolves how a tool is charged: its category and where its units come from (a <see cref="BudgetOptions.AddToolMapping(string, string, string?)"/>
/// entry, else its <see cref="BudgetCategoryAttribute"/>, else <see cref="BudgetOptions.DefaultCategory"/>), cached
/// per function; and the one check that a unit argument exists.
/// </summary>
internal sealed class ToolResolver
{
    private readonly ConcurrentDictionary<(string? Plugin, string Function, MethodInfo? Method), ResolvedTool> _tools = new();
    private readonly BudgetCounters _counters;

    public ToolResolver(BudgetCounters counters)
    {
        _counters = counters;
    }

    /// <summary>
    /// The plugin and function name of a tool. A function whose type declares a public string <c>PluginName</c> property
    /// (as Semantic Kernel's <c>KernelFunction</c> does) is named by it and by the <c>Name</c> that type declares (the
    /// function's own name, where <see cref="AITool.Name"/> may be the fully qualified one). The core reads them by
    /// reflection, so it needs no Semantic Kernel reference.
    /// </summary>
    public static (string? Plugin, string Name) NameOf(AIFunction function)
    {
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        for (Type? type = function.GetType(); type is not null && type != typeof(AIFunction); type = type.BaseType)
        {
            if (type.GetProperty("PluginName", Declared) is { PropertyType: var pluginType } plugin && pluginType == typeof(string))
            {
                string? name = type.GetProperty("Name", Declared, null, typeof(string), Type.EmptyTypes, null)?.GetValue(function) as string;
                return (plugin.GetValue(function) as string, string.IsNullOrEmpty(name) ? function.Name : name);
            }
        }

        return (null, function.Name);
    }

    public ResolvedTool Resolve(AIFunction function)
    {
        (string? plugin, string name) = NameOf(function);
        return Resolve(plugin, name, function.UnderlyingMethod);
    }

    public ResolvedTool Resolve(string? pluginName, string functionName, MethodInfo? method)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        if (_tools.TryGetValue((pluginName, functionName, method), out ResolvedTool? tool))
        {
            return tool;
        }

        return _tools.GetOrAdd((pluginName, functionName, method), static (key, self) => self.ResolveUncached(key.Plugin, key.Function, key.Method), this);
    }

    /// <summary>
    /// Checks that the unit argument of a tool, if it has one, is among <paramref name="parameterNames"/>: the one check
    /// behind the Semantic Kernel plugins, the chat client's tools and <see cref="BudgetCategoryAttribute"/> methods.
    /// </summary>
    /// <exception cref="BudgetConfigurationException">The tool has no parameter of that name.</exception>
    public static void CheckUnitsArgument(ResolvedTool tool, IEnumerable<string> parameterNames)
    {
        if (tool.UnitsArgument is not { } argument)
        {
            return;
        }

        string[] names = [.. parameterNames];
        if (!names.Contains(argument, StringComparer.Ordinal))
        {
            throw new BudgetConfigurationException(
                $"The budget mapping of '{tool.DisplayName}' counts units from the argument '{argument}', but the function has no such parameter (it has: {string.Join(", ", names)}).");
        }
    }

    private ResolvedTool ResolveUncached(string? pluginName, string functionName, MethodInfo? method)
    {
        string display = string.IsNullOrEmpty(pluginName) ? functionName : $"{pluginName}_{functionName}";
        foreach (ToolMapping mapping in _counters.Options.Mappings)
        {
            if (mapping.Matches(pluginName, functionName))
            {
                return new ResolvedTool(_counters.GetOrAddCategory(mapping.Category), mapping.UnitsArgument, mapping.UnitCounter, display);
            }
        }

        if (method?.GetCustomAttribute<BudgetCategoryAttribute>(inherit: true) is { } attribute)
        {
            var tool = new ResolvedTool(_counters.GetOrAddCategory(attribute.Category), attribute.UnitsArgument, null, display);
            CheckUnitsArgument(tool, method.GetParameters().Select(p => p.Name ?? string.Empty));
            return tool;
        }

        return new ResolvedTool(_counters.GetOrAddCategory(_counters.Options.DefaultCategory), null, null, display);
    }
}
