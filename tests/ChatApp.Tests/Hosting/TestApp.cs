using Agents.Samples.ChatApp.Agents;
using Agents.Samples.ChatApp.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agents.Samples.ChatApp.Tests.Hosting;

/// <summary>The chat app started on 127.0.0.1 with a free port and test services.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestApp> StartAsync(
        IAgentRunner? runner = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
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
        await app.StartAsync();
        var address = app.Urls.Single();
        return new TestApp(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public HttpClient CreateClient()
    {
        return new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
