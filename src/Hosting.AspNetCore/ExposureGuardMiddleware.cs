namespace Agents.Hosting.AspNetCore;

/// <summary>
/// Runs first in the pipeline: answers 503 until <see cref="ExposureGuard"/> accepted the bound addresses,
/// 400 for a <c>Host</c> that does not name this server, and 403 for an <c>Origin</c> that is not allowed on the
/// paths where origins are checked.
/// </summary>
internal sealed partial class ExposureGuardMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ExposureGuard _guard;
    private readonly PathString[] _originPaths;
    private readonly Func<HttpContext, int, string, Task> _writeError;
    private readonly ILogger _logger;

    /// <param name="next">The next middleware.</param>
    /// <param name="guard">The guard.</param>
    /// <param name="originPaths">The paths (and everything below them) whose requests must carry an allowed <c>Origin</c> when they carry one.</param>
    /// <param name="writeError">Writes an error response in the endpoint's own format.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    public ExposureGuardMiddleware(RequestDelegate next, ExposureGuard guard, PathString[] originPaths, Func<HttpContext, int, string, Task> writeError, ILoggerFactory loggerFactory)
    {
        _next = next;
        _guard = guard;
        _originPaths = originPaths;
        _writeError = writeError;
        _logger = loggerFactory.CreateLogger<ExposureGuard>();
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!_guard.IsOpen)
        {
            return _writeError(context, StatusCodes.Status503ServiceUnavailable,
                _guard.Refusal ?? "The server is starting; try again in a moment.");
        }

        var request = context.Request;
        if (!_guard.IsHostAllowed(request.Host))
        {
            LogHostRefused(_logger, request.Host.Value ?? string.Empty);
            return _writeError(context, StatusCodes.Status400BadRequest,
                $"The Host header '{request.Host.Value}' does not name this server. If clients reach it under that name, add the host to {_guard.Section}:AllowedHosts.");
        }

        string? origin = request.Headers.Origin;
        if (origin is not null && _originPaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) && !_guard.IsOriginAllowed(origin))
        {
            LogOriginRefused(_logger, origin, request.Path.Value ?? string.Empty);
            return _writeError(context, StatusCodes.Status403Forbidden,
                $"The Origin '{origin}' is not allowed. If a web page at that origin should use this server, add it to {_guard.Section}:AllowedOrigins.");
        }

        return _next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request with Host '{Host}' (not this server; see AllowedHosts)")]
    private static partial void LogHostRefused(ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request from Origin '{Origin}' to {Path} (see AllowedOrigins)")]
    private static partial void LogOriginRefused(ILogger logger, string origin, string path);
}
