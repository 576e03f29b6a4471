using Agents.Hosting.AspNetCore;

namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Builds the chat app: options, Kestrel binding, services, middleware and endpoints.</summary>
internal static class ChatAppHost
{
    /// <summary>The telemetry section (<c>ChatApp:Telemetry:Exporter=console|otlp</c>).</summary>
    public const string TelemetrySection = ChatAppOptions.SectionName + ":" + TelemetryOptions.SectionName;

    /// <summary>Builds the app.</summary>
    /// <param name="args">Command-line arguments (configuration keys such as <c>--ChatApp:Urls=...</c>).</param>
    /// <param name="configure">Runs first: adds configuration and services; services it registers win over the defaults.</param>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });

        // The caller goes first so that its configuration is seen below and its services win (TryAdd).
        configure?.Invoke(builder);
        builder.Services.AddOptions<ChatAppOptions>().Bind(builder.Configuration.GetSection(ChatAppOptions.SectionName));
        builder.Services.AddSingleton<IValidateOptions<ChatAppOptions>, ChatAppOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ConversationStore>();
        builder.Services.TryAddSingleton<AnswerRenderer>();
        ChatAppModelSetup.AddConfiguredModel(builder);
        builder.Services.AddResearchTelemetry(builder.Configuration.GetSection(TelemetrySection));

        // Validate now, before binding any socket, so a bad configuration names the option and nothing listens.
        var options = new ChatAppOptions();
        builder.Configuration.GetSection(ChatAppOptions.SectionName).Bind(options);
        var result = new ChatAppOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(ChatAppOptions.SectionName, typeof(ChatAppOptions), result.Failures);
        }

        ChatAppConversations.Add(builder, options);

        builder.Services.AddSingleton(sp => new ExposureGuard(
            ChatAppOptions.SectionName, options.ApiKey, options.AllowedHosts, null, sp.GetRequiredService<ILoggerFactory>()));
        // The host's own address settings (--urls, ASPNETCORE_URLS, Kestrel:Endpoints) win over ChatApp:Urls, as in any
        // ASP.NET Core app; whatever is bound is checked once the server listens.
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(ListenUrls.Split(options.Urls).ToArray());
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBytes;
        });

        var app = builder.Build();

        // Nothing is served until the addresses Kestrel actually bound (ChatApp:Urls, Kestrel:Endpoints, --urls, ...)
        // are checked: beyond loopback without ChatApp:ApiKey the app stops. Every request's Host must name this server.
        ExposureGuardSetup.Use(app, app.Services.GetRequiredService<ExposureGuard>(), [], WriteGuardErrorAsync);

        if (!ModelStatus.For(app.Services).Configured)
        {
            // Say it at start-up, not only when the first question fails; the page shows the same text as a banner.
            app.Logger.LogWarning("{Help}", ModelStatus.NoModelHelp);
        }

        app.Use(static (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
            return next(context);
        });
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        ChatEndpoints.Map(app);
        ChatCompletionsEndpoints.Map(app);
        return app;
    }

    /// <summary>Returns the app's <see cref="ExposureGuard"/>; after the app stops, its <see cref="ExposureGuard.Refusal"/> says whether it refused to run.</summary>
    /// <param name="app">An app built by <see cref="Build"/>.</param>
    public static ExposureGuard ExposureOf(WebApplication app) => app.Services.GetRequiredService<ExposureGuard>();

    private static Task WriteGuardErrorAsync(HttpContext context, int status, string message) =>
        context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
            ? ChatCompletionsEndpoints.Error(status, message, "invalid_request_error", null).ExecuteAsync(context)
            : Problems.Create(status, status == StatusCodes.Status503ServiceUnavailable ? "Not serving" : "Request refused", message).ExecuteAsync(context);
}
