using Agents.Samples.ChatApp.Api;
using Agents.Samples.ChatApp.Conversations;
using Agents.Samples.ChatApp.OpenAICompat;
using Agents.Samples.ChatApp.Rendering;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Builds the chat app: options, Kestrel binding, services, middleware and endpoints.</summary>
internal static class ChatAppHost
{
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

        // Validate now, before binding any socket, so a bad configuration names the option and nothing listens.
        var options = new ChatAppOptions();
        builder.Configuration.GetSection(ChatAppOptions.SectionName).Bind(options);
        var result = new ChatAppOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(ChatAppOptions.SectionName, typeof(ChatAppOptions), result.Failures);
        }

        builder.WebHost.UseUrls(ChatAppOptionsValidator.SplitUrls(options.Urls).ToArray());
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBytes;
        });

        var app = builder.Build();
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
}
