namespace Agents.Budget;

/// <summary>One <see cref="BudgetOptions.ToolMappings"/> entry.</summary>
internal sealed class ToolMapping
{
    public ToolMapping(string pattern, string category, string? unitsArgument, Func<IReadOnlyDictionary<string, object?>, int>? unitCounter)
    {
        Pattern = pattern;
        Category = category;
        UnitsArgument = unitsArgument;
        UnitCounter = unitCounter;
    }

    public string Pattern { get; }

    public string Category { get; }

    public string? UnitsArgument { get; }

    public Func<IReadOnlyDictionary<string, object?>, int>? UnitCounter { get; }

    /// <summary>Matches the pattern against "plugin_function", "plugin.function" and "function".</summary>
    public bool Matches(string? pluginName, string functionName)
    {
        if (WildcardMatch(Pattern, functionName))
        {
            return true;
        }

        if (string.IsNullOrEmpty(pluginName))
        {
            return false;
        }

        return WildcardMatch(Pattern, string.Concat(pluginName, "_", functionName))
            || WildcardMatch(Pattern, string.Concat(pluginName, ".", functionName));
    }

    /// <summary>Case-insensitive match where '*' stands for any run of characters.</summary>
    internal static bool WildcardMatch(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
