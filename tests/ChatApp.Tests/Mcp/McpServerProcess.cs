using ModelContextProtocol.Client;

namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>Starts the built MCP server (<c>dotnet Agents.Samples.McpServer.dll</c>) as a real child process.</summary>
internal static class McpServerProcess
{
    public static string DllPath { get; } = FindDll();

    /// <summary>A folder of documents for the local search engine and an empty memory workspace.</summary>
    public static (string Docs, string Workspace) CreateFolders()
    {
        var root = Path.Combine(Path.GetTempPath(), "agents-mcp-tests", Guid.NewGuid().ToString("N"));
        var docs = Path.Combine(root, "docs");
        var workspace = Path.Combine(root, "workspace");
        Directory.CreateDirectory(docs);
        Directory.CreateDirectory(workspace);
        File.WriteAllText(Path.Combine(docs, "bats.md"), "# Budget Tracker\n\nBATS shows agents their remaining tool budget after every tool result; the budget tracker plugs into the loop.\n");
        File.WriteAllText(Path.Combine(docs, "lucene.md"), "# Lucene\n\nLucene.Net is an embedded full-text search library for .NET.\n");
        return (docs, workspace);
    }

    /// <summary>The arguments that point the server at fresh folders from <see cref="CreateFolders"/>, then <paramref name="arguments"/>.</summary>
    public static string[] OverFolders(params string[] arguments)
    {
        var (docs, workspace) = CreateFolders();
        return [$"--Mcp:Research:DocumentsFolder={docs}", $"--Mcp:Research:WorkspaceRoot={workspace}", .. arguments];
    }

    /// <summary>Starts the server on the HTTP transport on 127.0.0.1 and a free port, with <paramref name="arguments"/> after those.</summary>
    public static Task<ServerProcess> StartHttpAsync(params string[] arguments) =>
        ServerProcess.StartAsync(DllPath, port => ["--Mcp:Transport=http", $"--Mcp:Urls=http://127.0.0.1:{port}", .. arguments]);

    /// <summary>The MCP endpoint of a server on the HTTP transport.</summary>
    public static Uri Endpoint(ServerProcess server) => new($"http://127.0.0.1:{server.Port}/mcp");

    public static async Task<McpClient> StartStdioAsync(params string[] arguments)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "agents-research",
            Command = "dotnet",
            Arguments = [DllPath, .. arguments],
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }

    private static string FindDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Agents.sln")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Agents.sln not found above " + AppContext.BaseDirectory),
            "samples", "McpServer", "bin", configuration, "net10.0", "Agents.Samples.McpServer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build samples/McpServer first (the test project references it).", path);
    }
}
