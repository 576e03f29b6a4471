using Agents.Budget;
using Agents.Samples.McpServer.Http;
using Agents.Samples.McpServer.Tools;
using Agents.Samples.Shared;
using Agents.Samples.Shared.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Hosting;

/// <summary>Builds and runs the MCP server over stdio or Streamable HTTP.</summary>
internal static class McpServerHost
{
    public const string ResearchSection = McpServerSettings.SectionName + ":" + ResearchSettings.SectionName;
    public const string ModelSection = McpServerSettings.SectionName + ":" + ModelOptions.SectionName;

    /// <summary>Reads and checks the settings; throws <see cref="InvalidOperationException"/> naming the first wrong option.</summary>
    public static (McpServerSettings Server, ResearchSettings Research, ModelOptions Model) ReadSettings(IConfiguration configuration)
    {
        var server = new McpServerSettings();
        configuration.GetSection(McpServerSettings.SectionName).Bind(server);
        var failures = McpServerSettingsValidator.Validate(server);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, failures));
        }

        var research = new ResearchSettings();
        configuration.GetSection(ResearchSection).Bind(research);
        ResearchToolset.Validate(research, ResearchSection);
        var model = new ModelOptions();
        configuration.GetSection(ModelSection).Bind(model);
        return (server, research, model);
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        McpServerSettings server;
        ResearchSettings research;
        ChatModel? chatModel;
        try
        {
            (server, research, var model) = ReadSettings(configuration);
            chatModel = ChatModelFactory.Create(model, ModelSection);
        }
        catch (InvalidOperationException ex)
        {
            throw new McpConfigurationException(ex.Message, ex);
        }

        if (server.Transport.Trim().Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddConfiguration(configuration);
            AddServices(builder.Services, server, research, chatModel);
            McpHttpTransport.AddTo(builder.Services);
            // The host's own address settings (--urls, ASPNETCORE_URLS, Kestrel:Endpoints) win over Mcp:Urls, as in any
            // ASP.NET Core app; whatever is bound is checked once the server listens.
            if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            {
                builder.WebHost.UseUrls([.. McpServerSettingsValidator.SplitUrls(server.Urls)]);
            }
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Limits.MaxRequestBodySize = server.MaxRequestBytes;
            });
            var app = builder.Build();

            // Nothing is served until the addresses Kestrel actually bound (Mcp:Urls, Kestrel:Endpoints, --urls, ...) are
            // checked: beyond loopback without Mcp:ApiKey the server stops. Host is checked on every request, Origin on /mcp.
            var guard = new ExposureGuard(McpServerSettings.SectionName, server.ApiKey, server.AllowedHosts, server.AllowedOrigins,
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<ExposureGuard>());
            ExposureGuardSetup.Use(app, guard, [McpHttpTransport.Path], McpHttpTransport.WriteErrorAsync);
            McpHttpTransport.Map(app, server);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return guard.Refusal is { } refusal ? throw new McpConfigurationException(refusal) : 0;
        }

        var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        host.Configuration.AddConfiguration(configuration);

        // stdout carries the protocol: every log line goes to stderr.
        host.Logging.ClearProviders();
        host.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        AddServices(host.Services, server, research, chatModel);
        host.Services.AddMcpServer().WithStdioServerTransport();
        await host.Build().RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static void AddServices(IServiceCollection services, McpServerSettings server, ResearchSettings research, ChatModel? chatModel)
    {
        services.AddSingleton(server);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new BudgetTracker(CreateBudget(server.Budget), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => ResearchToolset.Create(research, ResearchSection, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new McpToolCatalog(
            sp.GetRequiredService<ResearchToolset>(), sp.GetRequiredService<BudgetTracker>(), chatModel,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddMcpServer(o =>
        {
            o.ServerInfo = new Implementation { Name = "agents-research", Version = "1.0.0" };
            o.ServerInstructions = "Research tools (search, browse, find_in_page, memory_*, research) that spend one server-side budget. Every result ends with a <budget> block; a call that would overspend is refused and says which budget is exhausted.";
        });
        services.AddOptions<McpServerOptions>().Configure<McpToolCatalog>((options, catalog) =>
        {
            options.ToolCollection ??= [];
            foreach (var tool in catalog.Tools)
            {
                options.ToolCollection.Add(tool);
            }
        });
    }

    /// <summary>The server's budget: limits per tool category, tokens and money.</summary>
    internal static BudgetOptions CreateBudget(McpBudgetSettings budget)
    {
        var options = ResearchToolset.MapTools(new BudgetOptions())
            .AddToolMapping("research", "research")
            .SetToolLimit("search", budget.SearchUnits)
            .SetToolLimit("browse", budget.BrowseUnits)
            .SetToolLimit("memory", budget.MemoryCalls)
            .SetToolLimit("research", budget.ResearchRuns);
        options.MaxInputTokens = budget.MaxTokens;
        options.MaxOutputTokens = budget.MaxTokens;
        options.MaxCostUsd = budget.MaxCostUsd;
        return options;
    }
}
