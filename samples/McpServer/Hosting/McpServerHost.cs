using Agents.Hosting.AspNetCore;
using Agents.Samples.McpServer.Http;
using Agents.Samples.McpServer.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Hosting;

/// <summary>Builds and runs the MCP server over stdio or Streamable HTTP.</summary>
internal static class McpServerHost
{
    public const string ResearchSection = McpServerSettings.SectionName + ":" + ResearchToolsOptions.SectionName;
    public const string ModelSection = McpServerSettings.SectionName + ":" + ResearchModelOptions.SectionName;
    public const string TelemetrySection = McpServerSettings.SectionName + ":" + TelemetryOptions.SectionName;

    /// <summary>Reads and checks the settings; throws <see cref="OptionsValidationException"/> naming the wrong options.</summary>
    public static (McpServerSettings Server, ResearchToolsOptions Research, ResearchModelOptions Model, TelemetryOptions Telemetry) ReadSettings(IConfiguration configuration)
    {
        var server = new McpServerSettings();
        configuration.GetSection(McpServerSettings.SectionName).Bind(server);
        var failures = McpServerSettingsValidator.Validate(server);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(McpServerSettings.SectionName, typeof(McpServerSettings), failures);
        }

        var research = configuration.GetSection(ResearchSection).Get<ResearchToolsOptions>() ?? new ResearchToolsOptions();
        ResearchToolset.Validate(research, ResearchSection);
        var model = configuration.GetSection(ModelSection).Get<ResearchModelOptions>() ?? new ResearchModelOptions();
        ResearchModelFactory.Validate(model, ModelSection);
        var telemetry = configuration.GetSection(TelemetrySection).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!server.Transport.Trim().Equals("http", StringComparison.OrdinalIgnoreCase) && telemetry.Exporter.Trim().Equals("console", StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionsValidationException(TelemetrySection, typeof(TelemetryOptions),
                [$"{TelemetrySection}:Exporter 'console' would write into the stdio protocol; use 'otlp', or the http transport."]);
        }

        return (server, research, model, telemetry);
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
        ResearchToolsOptions research;
        ResearchModelOptions model;
        ResearchTelemetry telemetry;
        try
        {
            (server, research, model, var telemetryOptions) = ReadSettings(configuration);
            telemetry = ResearchTelemetry.Start(telemetryOptions, TelemetrySection);
        }
        catch (OptionsValidationException ex)
        {
            throw new McpConfigurationException(ex.Message, ex);
        }

        using var flush = telemetry;

        if (server.Transport.Trim().Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddConfiguration(configuration);
            AddServices(builder, server, research, model);
            McpHttpTransport.AddTo(builder.Services);
            // The host's own address settings (--urls, ASPNETCORE_URLS, Kestrel:Endpoints) win over Mcp:Urls, as in any
            // ASP.NET Core app; whatever is bound is checked once the server listens.
            if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            {
                builder.WebHost.UseUrls([.. ListenUrls.Split(server.Urls)]);
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
                app.Services.GetRequiredService<ILoggerFactory>());
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
        AddServices(host, server, research, model);
        host.Services.AddMcpServer().WithStdioServerTransport();
        await host.Build().RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static void AddServices(IHostApplicationBuilder builder, McpServerSettings server, ResearchToolsOptions research, ResearchModelOptions model)
    {
        var services = builder.Services;
        services.AddSingleton(server);
        services.AddSingleton(TimeProvider.System);
        McpCluster.Add(builder, server);
        services.AddSingleton(sp => new BudgetTracker(CreateBudget(server.Budget, sp.GetService<IBudgetLedger>()), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddResearchTools(research, ResearchSection);
        services.AddResearchModel(model, ModelSection);
        services.AddSingleton(sp => new McpToolCatalog(
            sp.GetRequiredService<ResearchToolset>(), sp.GetRequiredService<BudgetTracker>(), sp.GetService<ResearchModel>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetService<IBudgetLedger>()));
        services.AddMcpServer(o =>
        {
            o.ServerInfo = new Implementation { Name = "agents-research", Version = "1.0.0" };
            o.ServerInstructions = "Research tools (web_search, browser_browse, browser_find_in_page, memory_*, research) that spend one server-side budget. Every result ends with a <budget> block; a call that would overspend is refused and says which budget is exhausted.";
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

    /// <summary>The server's budget: limits per tool category, tokens and money; in cluster mode also spent in the shared budget.</summary>
    internal static BudgetOptions CreateBudget(McpBudgetSettings budget, IBudgetLedger? shared = null)
    {
        var options = ResearchToolset.MapTools(new BudgetOptions { SharedLedger = shared })
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
