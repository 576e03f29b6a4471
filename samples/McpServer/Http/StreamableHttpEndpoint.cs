using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Agents.Samples.McpServer.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Http;

/// <summary>
/// MCP Streamable HTTP at <c>POST /mcp</c>, stateless: each request gets a server over Core's
/// <see cref="StreamableHttpServerTransport"/> that shares the application's tools and budget. GET (server-initiated
/// stream) and DELETE (session end) answer 405 as the specification allows for servers without sessions.
/// </summary>
internal static class StreamableHttpEndpoint
{
    public const string Path = "/mcp";

    public static void Map(WebApplication app, McpServerSettings settings)
    {
        var key = string.IsNullOrEmpty(settings.ApiKey) ? null : Encoding.UTF8.GetBytes(settings.ApiKey);
        app.MapPost(Path, context => HandlePostAsync(context, key, settings.MaxRequestBytes));
        app.MapMethods(Path, ["GET", "DELETE"], context =>
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "POST";
            return Task.CompletedTask;
        });
    }

    private static async Task HandlePostAsync(HttpContext context, byte[]? key, int maxBytes)
    {
        if (key is not null && !HasKey(context.Request, key))
        {
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized: send the server's API key as 'Authorization: Bearer <key>' or in the X-Api-Key header.").ConfigureAwait(false);
            return;
        }

        var accept = context.Request.GetTypedHeaders().Accept;
        if (!accept.Any(a => a.MatchesMediaType("application/json")) || !accept.Any(a => a.MatchesMediaType("text/event-stream")))
        {
            await WriteErrorAsync(context, StatusCodes.Status406NotAcceptable, "Not Acceptable: the client must accept both application/json and text/event-stream.").ConfigureAwait(false);
            return;
        }

        if (!context.Request.HasJsonContentType())
        {
            await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type: send a JSON-RPC message with Content-Type: application/json.").ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentLength > maxBytes)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request too large: the server accepts at most {maxBytes} bytes.").ConfigureAwait(false);
            return;
        }

        JsonRpcMessage? message;
        try
        {
            message = await JsonSerializer.DeserializeAsync(context.Request.Body, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcMessage>(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"Parse error: the body is not a JSON-RPC message ({ex.Message}).", -32700).ConfigureAwait(false);
            return;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request too large: the server accepts at most {maxBytes} bytes.").ConfigureAwait(false);
            return;
        }

        if (message is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Invalid request: the body is JSON null.", -32600).ConfigureAwait(false);
            return;
        }

        var services = context.RequestServices;
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var options = services.GetRequiredService<IOptions<McpServerOptions>>().Value;
        var transport = new StreamableHttpServerTransport(loggerFactory) { Stateless = true };
        await using (transport.ConfigureAwait(false))
        {
            var server = ModelContextProtocol.Server.McpServer.Create(transport, options, loggerFactory, services);
            await using (server.ConfigureAwait(false))
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                var run = server.RunAsync(stop.Token);
                context.Response.Headers.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-cache,no-store";
                context.Response.Headers.ContentEncoding = "identity";
                context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
                var wrote = await transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                if (!wrote)
                {
                    context.Response.Headers.ContentType = (string?)null;
                    context.Response.StatusCode = StatusCodes.Status202Accepted;
                }

                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    await run.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The per-request server ends with the request.
                }
            }
        }
    }

    private static bool HasKey(HttpRequest request, byte[] key)
    {
        string? given = request.Headers["X-Api-Key"];
        string? authorization = request.Headers.Authorization;
        if (string.IsNullOrEmpty(given) && authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            given = authorization["Bearer ".Length..].Trim();
        }

        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), key);
    }

    /// <summary>Writes a JSON-RPC error without id, as the transport specification allows for HTTP errors.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message) => WriteErrorAsync(context, status, message, -32000);

    private static Task WriteErrorAsync(HttpContext context, int status, string message, int code)
    {
        var error = new JsonRpcError { Id = default, Error = new JsonRpcErrorDetail { Code = code, Message = message } };
        return Results.Json(error, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcError>(), statusCode: status).ExecuteAsync(context);
    }
}
