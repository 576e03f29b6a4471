using System.Security.Cryptography;
using System.Text;

namespace Agents.Samples.ChatApp.Api;

/// <summary>
/// Requires the configured API key on <c>/api</c> and <c>/v1</c> requests; does nothing when no key is set
/// (which the options validator allows on loopback only).
/// </summary>
internal sealed class ApiKeyMiddleware
{
    public const string HeaderName = "X-Api-Key";

    private readonly RequestDelegate _next;
    private readonly byte[]? _key;

    public ApiKeyMiddleware(RequestDelegate next, IOptions<ChatAppOptions> options)
    {
        _next = next;
        var key = options.Value.ApiKey;
        _key = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_key is null || !IsProtected(context.Request.Path) || HasKey(context.Request))
        {
            return _next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Create(StatusCodes.Status401Unauthorized, "API key required",
                $"This server requires its API key: send it in the {HeaderName} header or as 'Authorization: Bearer <key>'.")
            .ExecuteAsync(context);
    }

    private static bool IsProtected(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    private bool HasKey(HttpRequest request)
    {
        string? given = request.Headers[HeaderName];
        if (string.IsNullOrEmpty(given))
        {
            string? authorization = request.Headers.Authorization;
            if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                given = authorization["Bearer ".Length..].Trim();
            }
        }

        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key);
    }
}
