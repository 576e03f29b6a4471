using System.Reflection;
using Agents.Plugins.Archiving;

namespace Agents.Plugins.Tests;

/// <summary>The plugin packages are split by dependency weight: the light ones reference no browser, PDF or HTML parser.</summary>
public sealed class PackageDependencyTests
{
    private static readonly string[] Heavy = ["Microsoft.Playwright", "UglyToad.PdfPig", "AngleSharp", "SmartReader"];

    public static TheoryData<string, string> LightAssemblies() => new()
    {
        { typeof(FileSystemMemoryPlugin).Assembly.GetName().Name!, "Agents.Plugins.Memory" },
        { typeof(WebSearchPlugin).Assembly.GetName().Name!, "Agents.Plugins.Search" },
        { typeof(ModelReaderPlugin).Assembly.GetName().Name!, "Agents.Plugins.Reading" },
        { typeof(IPageArchiveSink).Assembly.GetName().Name!, "Agents.Plugins.Core" },
    };

    [Theory]
    [MemberData(nameof(LightAssemblies))]
    public void Light_plugin_assemblies_reference_no_browser_nor_document_parser(string assembly, string expected)
    {
        Assert.Equal(expected, assembly);
        var referenced = Closure(Assembly.Load(assembly));

        Assert.DoesNotContain(referenced, name => Heavy.Any(h => name.StartsWith(h, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Memory_references_no_search_nor_browser_plugin()
    {
        var referenced = Closure(typeof(FileSystemMemoryPlugin).Assembly);

        Assert.DoesNotContain("Microsoft.Playwright", referenced);
        Assert.DoesNotContain("Agents.Plugins.Browser", referenced);
        Assert.DoesNotContain("Agents.Plugins.Search", referenced);
        Assert.DoesNotContain("Agents.Plugins.Extraction", referenced);
        Assert.Contains("Agents.Plugins.Core", referenced);
    }

    [Fact]
    public void The_browser_plugin_still_brings_playwright()
        => Assert.Contains("Microsoft.Playwright", Closure(typeof(Agents.Plugins.Browsing.BrowserPlugin).Assembly));

    /// <summary>The names of the assemblies <paramref name="root"/> references, directly or through our own assemblies.</summary>
    private static HashSet<string> Closure(Assembly root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([root]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (names.Add(reference.Name!) && reference.Name!.StartsWith("Agents.", StringComparison.Ordinal))
                {
                    pending.Enqueue(Assembly.Load(reference));
                }
            }
        }

        return names;
    }
}
