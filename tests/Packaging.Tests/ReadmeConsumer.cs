using System.Security;

namespace Agents.Packaging.Tests;

/// <summary>
/// A fresh console app, outside the repository, that references the packed packages by version and runs the README's
/// Semantic Kernel example as its Program.cs, with a scripted model and a one-hit search engine written beside it.
/// </summary>
internal static class ReadmeConsumer
{
    /// <summary>
    /// The packages the README's Semantic Kernel example needs; the projects they reference are packed with them. The one
    /// place to change when the README's example moves to other packages.
    /// </summary>
    public static IReadOnlyList<string> Packages { get; } = ["Agents.BudgetTracker.SemanticKernel", "Agents.Plugins.Search"];

    /// <summary>
    /// What an app adds beside our packages, as Semantic Kernel apps do (our libraries need only SK's abstractions): at the
    /// version the repository pins in Directory.Packages.props.
    /// </summary>
    public static IReadOnlyList<string> AppPackages { get; } = ["Microsoft.SemanticKernel.Core"];

    /// <summary>Reads the version the repository pins for a package.</summary>
    public static string PinnedVersion(string packageId)
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryLayout.Root, "Directory.Packages.props"));
        return props.Descendants("PackageVersion").FirstOrDefault(e => (string?)e.Attribute("Include") == packageId)?.Attribute("Version")?.Value
            ?? throw new InvalidOperationException($"Directory.Packages.props pins no version of {packageId}.");
    }

    /// <summary>The namespaces the example's types live in (a user's using directives).</summary>
    public static IReadOnlyList<string> Usings { get; } =
        ["Agents.Budget", "Agents.Plugins.Search", "Microsoft.Extensions.AI", "Microsoft.SemanticKernel", "Microsoft.SemanticKernel.ChatCompletion"];

    /// <summary>The line the scripted model prints when a tool result reaches it followed by the budget block.</summary>
    public const string BudgetBlockSeen = "consumer: tool result followed by the budget block";

    /// <summary>
    /// Writes the app into <paramref name="folder"/>: a project that references <see cref="Packages"/> at
    /// <paramref name="version"/>, a nuget.config that takes <paramref name="packedIds"/> from <paramref name="feed"/> and
    /// the rest from <paramref name="sources"/> or the folder <paramref name="warmPackages"/>, and a Program.cs around
    /// <paramref name="example"/>.
    /// </summary>
    public static async Task WriteAsync(
        string folder, string feed, string version, IReadOnlyList<string> packedIds, IReadOnlyList<string> sources, string warmPackages, string example)
    {
        Directory.CreateDirectory(folder);

        // Empty files stop MSBuild from looking further up for Directory.Build.* or central package versions.
        foreach (string stop in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(folder, stop), "<Project />\n");
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "ReadmeConsumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
            {string.Concat(Packages.Select(p => $"    <PackageReference Include=\"{p}\" Version=\"{version}\" />\n"))}{string.Concat(AppPackages.Select(p => $"    <PackageReference Include=\"{p}\" Version=\"{PinnedVersion(p)}\" />\n"))}  </ItemGroup>
              <ItemGroup>
            {string.Concat(Usings.Select(u => $"    <Using Include=\"{u}\" />\n"))}  </ItemGroup>
            </Project>

            """);

        // The local feed plus the machine's own sources. Our packages come from the local feed only (source mapping),
        // into this app's own package folder; everything the repository's restore already brought is taken from the
        // machine's package folder without asking a source, so the restore also works with no source reachable.
        await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Xml(Path.Combine(folder, "packages"))}" />
              </config>
              <packageSources>
                <clear />
                <add key="agents-packed" value="{Xml(feed)}" />
            {string.Concat(sources.Select((s, i) => $"    <add key=\"machine-{i}\" value=\"{Xml(s)}\" />\n"))}  </packageSources>
              <packageSourceMapping>
                <packageSource key="agents-packed">
            {string.Concat(packedIds.Select(p => $"      <package pattern=\"{p}\" />\n"))}    </packageSource>
            {string.Concat(sources.Select((_, i) => $"    <packageSource key=\"machine-{i}\"><package pattern=\"*\" /></packageSource>\n"))}  </packageSourceMapping>
              <fallbackPackageFolders>
                <clear />
                <add key="machine-packages" value="{Xml(warmPackages)}" />
              </fallbackPackageFolders>
            </configuration>

            """);

        await File.WriteAllTextAsync(Path.Combine(folder, "Program.cs"), Program(example));
    }

    private static string Program(string example) => $$"""
        // Written by Agents.Packaging.Tests: the README's Semantic Kernel example, run against the packed packages.
        ISearchEngine searchEngine = new OneHitSearchEngine();
        IChatClient modelClient = new ScriptedModelClient();

        // --- README.md, "{{ReadmeExample.Heading}}" ---
        {{example}}
        // --- end of README.md ---

        // Answers every query with one page about X.
        internal sealed class OneHitSearchEngine : ISearchEngine
        {
            public string Name => "readme";

            public Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int maxResults, CancellationToken cancellationToken) =>
                Task.FromResult<IReadOnlyList<SearchHit>>([new SearchHit("X founders", new Uri("https://example.test/x"), "X was founded by Ada.", Name)]);
        }

        // First calls the search tool with three queries, then answers; reports what the tool results held.
        internal sealed class ScriptedModelClient : IChatClient
        {
            public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            {
                var usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10, TotalTokenCount = 110 };
                string[] results = [.. messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionResultContent>()
                    .Select(r => r.Result?.ToString() ?? string.Empty)];
                if (results.Length == 0 && options?.Tools?.FirstOrDefault(t => t.Name.EndsWith("search", StringComparison.Ordinal)) is { } tool)
                {
                    Console.WriteLine($"consumer: calling {tool.Name}");
                    var call = new Microsoft.Extensions.AI.FunctionCallContent("call-1", tool.Name,
                        new Dictionary<string, object?> { ["queries"] = new[] { "X founder", "X history", "who started X" } });
                    return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])) { Usage = usage, FinishReason = ChatFinishReason.ToolCalls });
                }

                foreach (string result in results)
                {
                    int page = result.IndexOf("X was founded by Ada.", StringComparison.Ordinal);
                    bool blockAfter = page >= 0 && result.IndexOf("<budget>", page, StringComparison.Ordinal) > page;
                    Console.WriteLine(blockAfter ? "{{BudgetBlockSeen}}" : "consumer: tool result without the budget block: " + result);
                }

                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Ada founded X.")) { Usage = usage, FinishReason = ChatFinishReason.Stop });
            }

            public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
                [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                foreach (ChatResponseUpdate update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
                {
                    yield return update;
                }
            }

            public object? GetService(Type serviceType, object? serviceKey = null) => null;

            public void Dispose()
            {
            }
        }

        """;

    private static string Xml(string text) => SecurityElement.Escape(text);
}
