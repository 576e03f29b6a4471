using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Agents.Packaging.Tests;

/// <summary>
/// Issue 15 item 4: a fresh console app references the packed packages by version and runs the README's Semantic
/// Kernel example against them, as a user would.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class ReadmeConsumerTests(PackedFeedFixture feed, ITestOutputHelper output)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task TheReadmeSemanticKernelExample_RunsInAFreshAppThatReferencesThePackagesByVersion()
    {
        string example = ReadmeExample.SemanticKernelExample();
        string app = Path.Combine(feed.WorkDirectory, "consumer");
        await ReadmeConsumer.WriteAsync(
            app, feed.FeedDirectory, feed.Version, feed.PackageIds, await MachineSourcesAsync(), await MachinePackagesAsync(), example);

        var clock = Stopwatch.StartNew();
        CliResult build = await DotnetCli.RunAsync(app, BuildTimeout,
            "build", "ReadmeConsumer.csproj", "--configuration", "Release", "--output", Path.Combine(app, "out"), "-nodeReuse:false",
            // With no source reachable the restore goes on: all it needs is in the local feed and the machine's folder.
            "-p:RestoreIgnoreFailedSources=true");
        TimeSpan buildTime = clock.Elapsed;
        Assert.True(build.ExitCode == 0, $"The consumer app did not build against the packages:\n{build.Output}");

        // The app restored our packages from the local feed, at this run's version.
        foreach (string id in ReadmeConsumer.Packages)
        {
            Assert.True(File.Exists(Path.Combine(app, "out", id + ".dll")), $"{id}.dll is not in the consumer's output.");
            Assert.True(Directory.Exists(Path.Combine(app, "packages", id.ToLowerInvariant(), feed.Version)),
                $"{id} {feed.Version} was not restored from the local feed.");
        }

        clock.Restart();
        CliResult run = await DotnetCli.RunAsync(app, RunTimeout, Path.Combine(app, "out", "ReadmeConsumer.dll"));
        output.WriteLine($"pack {feed.PackDuration.TotalSeconds:F0} s ({feed.PackageIds.Count} packages), consumer restore + build {buildTime.TotalSeconds:F0} s, run {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(run.Output);

        Assert.True(run.ExitCode == 0, $"The README example failed in the consumer app:\n{run.Output}");
        Assert.Contains(ReadmeConsumer.BudgetBlockSeen, run.Output, StringComparison.Ordinal);
        // The snapshot line the README prints: the three queries were charged as three search units.
        Assert.Matches(new Regex(@"\bsearch 3/\d+"), run.Output);
    }

    private static async Task<IReadOnlyList<string>> MachineSourcesAsync()
    {
        CliResult list = await DotnetCli.RunAsync(RepositoryLayout.Root, TimeSpan.FromMinutes(1), "nuget", "list", "source", "--format", "short");
        Assert.True(list.ExitCode == 0, list.Output);
        // Short format: one line per source, "E <url>" when enabled, "D <url>" when disabled.
        return [.. list.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("E ", StringComparison.Ordinal)).Select(l => l[2..].Trim())];
    }

    private static async Task<string> MachinePackagesAsync()
    {
        CliResult list = await DotnetCli.RunAsync(RepositoryLayout.Root, TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list");
        Match folder = Regex.Match(list.Output, @"global-packages:\s*(?<path>.+?)\s*$", RegexOptions.Multiline);
        Assert.True(list.ExitCode == 0 && folder.Success, list.Output);
        return folder.Groups["path"].Value;
    }
}
