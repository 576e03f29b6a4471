using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Agents.Samples.McpServer.Http;

/// <summary>
/// MCP Streamable HTTP at <c>/mcp</c>, served by <c>ModelContextProtocol.AspNetCore</c> (<c>WithHttpTransport</c> +
/// <c>MapMcp</c>), stateless: every request is served by a server that shares the application's tools and budget, and
/// a tool's progress notifications travel on the POST's own event stream. In front of it, the API key and the size of
/// the request are checked (the exposure guard, which checks Host and Origin, runs before both).
/// </summary>
internal static class McpHttpTransport
{
    public const string Path = "/mcp";

    /// <summary>Adds the SDK's Streamable HTTP transport to the MCP server the host has added.</summary>
    public static void AddTo(IServiceCollection services) =>
        services.AddMcpServer().WithHttpTransport(options =>
        {
            // No sessions: a client needs no affinity, the budget is the application's, and GET/DELETE answer 405.
            options.Stateless = true;
        });

    /// <summary>Maps <c>/mcp</c>, behind the API key and the request-size check.</summary>
    public static void Map(WebApplication app, McpServerSettings settings)
    {
        var key = string.IsNullOrEmpty(settings.ApiKey) ? null : Encoding.UTF8.GetBytes(settings.ApiKey);
        var maxBytes = settings.MaxRequestBytes;
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase))
            {
                await next(context).ConfigureAwait(false);
            }
            else if (key is not null && !HasKey(context.Request, key))
            {
                await WriteErrorAsync(context, StatusCodes.Status401Unauthorized,
                    "Unauthorized: send the server's API key as 'Authorization: Bearer <key>' or in the X-Api-Key header.").ConfigureAwait(false);
            }
            else if (context.Request.ContentLength > maxBytes)
            {
                // Answered from Content-Length, before the body is sent (Expect: 100-continue) or read.
                await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request too large: the server accepts at most {maxBytes} bytes.").ConfigureAwait(false);
            }
            else
            {
                await next(context).ConfigureAwait(false);
            }
        });
        app.MapMcp(Path);
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
    public static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        var error = new JsonRpcError { Id = default, Error = new JsonRpcErrorDetail { Code = -32000, Message = message } };
        return Results.Json(error, McpJsonUtilities.DefaultOptions.GetTypeInfo<JsonRpcError>(), statusCode: status).ExecuteAsync(context);
    }
}
