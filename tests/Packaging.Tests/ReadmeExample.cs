using System.Text.RegularExpressions;

namespace Agents.Packaging.Tests;

/// <summary>Reads a code block of README.md at run time, so the test follows the README as it changes.</summary>
internal static class ReadmeExample
{
    /// <summary>The heading whose first C# block is the Semantic Kernel example.</summary>
    public const string Heading = "Semantic Kernel in ten lines";

    /// <summary>The first <c>```csharp</c> block after the heading <paramref name="heading"/> of <paramref name="markdown"/>.</summary>
    public static string CodeAfterHeading(string markdown, string heading)
    {
        Match title = Regex.Match(markdown, @"^#+\s*" + Regex.Escape(heading) + @"\s*$", RegexOptions.Multiline);
        if (!title.Success)
        {
            throw new InvalidOperationException($"README.md has no heading '{heading}'.");
        }

        Match block = Regex.Match(markdown[title.Index..], @"^```(?:csharp|cs|c#)[ \t]*\r?\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
        return block.Success
            ? block.Groups["code"].Value
            : throw new InvalidOperationException($"README.md has no ```csharp block after the heading '{heading}'.");
    }

    /// <summary>The README's Semantic Kernel example.</summary>
    public static string SemanticKernelExample() =>
        CodeAfterHeading(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "README.md")), Heading);
}
