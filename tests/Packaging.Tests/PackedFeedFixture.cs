using System.Globalization;

namespace Agents.Packaging.Tests;

/// <summary>
/// Packs the packages that the README's Semantic Kernel example needs (and the projects they reference) once, with a
/// version of this run, into a local feed in a temporary folder. Builds in an artifacts folder of its own, so neither the
/// projects' bin/obj nor a build running beside it is touched; that folder lies under the repository's git-ignored
/// artifacts/, as a user's build output would lie inside the repository, so SourceLink maps and embeds the generated
/// files as it does for them.
/// </summary>
public sealed class PackedFeedFixture : IAsyncLifetime
{
    /// <summary>Longest a pack may take on a loaded CI machine.</summary>
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The temporary folder of this run; removed at the end.</summary>
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("agents-packaging-").FullName;

    /// <summary>The local feed the packages were packed into.</summary>
    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");

    /// <summary>A version no earlier run used, so no NuGet cache can serve an older build of it.</summary>
    public string Version { get; } = "0.1.0-test.run" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The build output of the pack: bin and obj of every packed project.</summary>
    public string ArtifactsDirectory => Path.Combine(RepositoryLayout.Root, "artifacts", "packaging-tests", Version);

    /// <summary>The projects packed: the README example's packages and every project they reference.</summary>
    public IReadOnlyList<string> Projects { get; private set; } = [];

    /// <summary>The package ids packed (each project's assembly name).</summary>
    public IReadOnlyList<string> PackageIds => [.. Projects.Select(RepositoryLayout.AssemblyNameOf)];

    /// <summary>What <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; private set; } = string.Empty;

    /// <summary>How long the pack took.</summary>
    public TimeSpan PackDuration { get; private set; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Projects = RepositoryLayout.WithReferences(ReadmeConsumer.Packages.Select(RepositoryLayout.ProjectOf));

        // One solution of just these projects: one restore and one build for all of them.
        string solution = Path.Combine(WorkDirectory, "packages.slnx");
        await File.WriteAllTextAsync(solution,
            "<Solution>\n" + string.Concat(Projects.Select(p => $"  <Project Path=\"{p}\" />\n")) + "</Solution>\n");

        DateTime started = DateTime.UtcNow;
        CliResult pack = await DotnetCli.RunAsync(RepositoryLayout.Root, PackTimeout,
            "pack", solution,
            "--configuration", "Release",
            "--output", FeedDirectory,
            "--artifacts-path", ArtifactsDirectory,
            "-p:Version=" + Version,
            "-p:ContinuousIntegrationBuild=true",
            "-nodeReuse:false");
        PackDuration = DateTime.UtcNow - started;
        PackOutput = pack.Output;
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"dotnet pack exited with {pack.ExitCode}:\n{pack.Output}"));
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        DeleteQuietly(WorkDirectory);
        DeleteQuietly(ArtifactsDirectory);
        string parent = Path.GetDirectoryName(ArtifactsDirectory)!;
        if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            DeleteQuietly(parent);
        }

        return Task.CompletedTask;
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open leaves the folder behind; the run's result does not depend on it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
