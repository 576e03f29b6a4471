using System.ComponentModel;
using System.Reflection;
using Microsoft.SemanticKernel;

namespace Agents.Plugins.Tests;

/// <summary>Every tool tells the model what it is charged: the units and what is free.</summary>
public sealed class ToolDescriptionTests
{
    public static TheoryData<string> Tools()
    {
        var data = new TheoryData<string>();
        foreach (var tool in AllTools())
        {
            data.Add(tool.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public void Every_tool_description_says_what_it_costs(string name)
    {
        var (_, description, category) = AllTools().Single(t => t.Name == name);

        var cost = description[(description.IndexOf("Cost: ", StringComparison.Ordinal) is var at and >= 0 ? at : throw new Xunit.Sdk.XunitException($"{name}: no 'Cost: ' sentence in \"{description}\""))..];
        if (category is null)
        {
            Assert.StartsWith("Cost: free", cost, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"unit of the {category} budget", cost, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("browse", "pages already read")]
    [InlineData("browse", "URLs refused before reading")]
    [InlineData("search", "queries answered from the cache")]
    [InlineData("search", "repeated queries")]
    public void Charged_tools_say_what_is_free(string name, string free)
    {
        var description = AllTools().Single(t => t.Name == name).Description;
        Assert.Contains("free: ", description, StringComparison.Ordinal);
        Assert.Contains(free, description[description.IndexOf("free: ", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    private static IEnumerable<(string Name, string Description, string? Category)> AllTools()
        => new[] { typeof(BrowserPlugin), typeof(WebSearchPlugin), typeof(ModelReaderPlugin), typeof(FileSystemMemoryPlugin) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<KernelFunctionAttribute>() is not null)
            .Select(m => (
                m.GetCustomAttribute<KernelFunctionAttribute>()!.Name ?? m.Name,
                m.GetCustomAttribute<DescriptionAttribute>()?.Description ?? string.Empty,
                m.GetCustomAttribute<BudgetCategoryAttribute>()?.Category));
}
