using System.Xml.Linq;

namespace Agents.Packaging.Tests;

/// <summary>Finds the repository root and the src/ projects a package needs, by reading the .csproj files.</summary>
internal static class RepositoryLayout
{
    /// <summary>The folder that holds Agents.sln, found by walking up from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The src/ project whose package id (its assembly name, else its file name) is <paramref name="packageId"/>.</summary>
    public static string ProjectOf(string packageId)
    {
        string[] matches = [.. Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => string.Equals(AssemblyNameOf(p), packageId, StringComparison.Ordinal))];
        return matches.Length == 1
            ? matches[0]
            : throw new InvalidOperationException(
                $"Expected one project under src/ with the assembly name {packageId}, found {matches.Length}. " +
                "If the README's example now needs other packages, update ReadmeConsumer.Packages.");
    }

    /// <summary>The projects and every project they reference, transitively, in a stable order.</summary>
    public static IReadOnlyList<string> WithReferences(IEnumerable<string> projects)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(projects.Select(Path.GetFullPath));
        while (pending.TryPop(out string? project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            string folder = Path.GetDirectoryName(project)!;
            foreach (XElement reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                string include = ((string?)reference.Attribute("Include") ?? string.Empty).Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.GetFullPath(Path.Combine(folder, include)));
            }
        }

        return [.. seen];
    }

    /// <summary>The assembly name a project declares, else its file name.</summary>
    public static string AssemblyNameOf(string project) =>
        XDocument.Load(project).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0)
        ?? Path.GetFileNameWithoutExtension(project);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Agents.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Agents.sln above {AppContext.BaseDirectory}.");
    }
}
