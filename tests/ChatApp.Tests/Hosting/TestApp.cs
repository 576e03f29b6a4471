using Agents.Samples.ChatApp.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Agents.Samples.ChatApp.Tests.Hosting;

/// <summary>The chat app started on 127.0.0.1 with a free port and test services.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly LoopbackApp _app;

    private TestApp(LoopbackApp app, string? documentsFolder = null)
    {
        _app = app;
        DocumentsFolder = documentsFolder;
    }

    public Uri BaseAddress => _app.BaseAddress;

    /// <summary>The documents folder the app searches, where <see cref="StartOverFoldersAsync"/> made one.</summary>
    public string? DocumentsFolder { get; }

    public IServiceProvider Services => _app.App.Services;

    public static async Task<TestApp> StartAsync(
        IAgentRunner? runner = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null) =>
        new(await StartAppAsync(runner, settings, services));

    /// <summary>
    /// Starts the app over fresh documents and workspace folders (see <see cref="Mcp.McpServerProcess.CreateFolders"/>),
    /// with <paramref name="services"/> (the scripted model, for one) and any other <paramref name="settings"/> added.
    /// </summary>
    public static async Task<TestApp> StartOverFoldersAsync(Action<IServiceCollection> services, IDictionary<string, string?>? settings = null)
    {
        var (docs, workspace) = Mcp.McpServerProcess.CreateFolders();
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["ChatApp:Research:DocumentsFolder"] = docs,
            ["ChatApp:Research:WorkspaceRoot"] = workspace,
        };
        return new(await StartAppAsync(runner: null, values, services), docs);
    }

    private static Task<LoopbackApp> StartAppAsync(IAgentRunner? runner, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        var app = ChatAppHost.Build([], builder =>
        {
            var values = new Dictionary<string, string?>
            {
                ["ChatApp:Urls"] = "http://127.0.0.1:0",
                ["ChatApp:ConversationsPath"] = Path.Combine(Path.GetTempPath(), "agents-chat-" + Guid.NewGuid().ToString("N"), "conversations.db"),

                // Runs do not ask for more budget unless a test turns it on (it waits for an answer).
                ["ChatApp:AskForMoreUnits"] = "0",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (runner is not null)
            {
                builder.Services.AddSingleton(runner);
            }

            services?.Invoke(builder.Services);
        });
        return LoopbackApp.StartAsync(app);
    }

    public HttpClient CreateClient()
    {
        return new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
