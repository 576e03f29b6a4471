using System.Globalization;
using Agents.Plugins.Security;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Agents.Plugins.Resilience;

/// <summary>
/// Builds the plugins' HTTP resilience pipeline (Polly v8) from <see cref="HttpResilienceOptions"/>; shared by search and
/// page reads, and meant for any plugin that calls an HTTP API (another search provider, for example).
/// </summary>
public static class HttpResilience
{
    /// <summary>
    /// Adds retry (429, 5xx, connection failures except <see cref="GuardedConnector"/>'s refusals, and attempt timeouts; <c>Retry-After</c> honoured up to
    /// <see cref="HttpResilienceOptions.MaxRetryAfter"/>), circuit breaker (5xx, connection failures, timeouts) and the
    /// attempt timeout, in that order. Adds nothing when the options are not <see cref="HttpResilienceOptions.Enabled"/>.
    /// </summary>
    /// <param name="builder">The pipeline builder; strategies added before these (a concurrency limiter, say) run outside them.</param>
    /// <param name="options">The options; the caller validates them (<see cref="HttpResilienceOptions.Validate(string?)"/>).</param>
    /// <param name="timeProvider">The clock of delays, timeouts and <c>Retry-After</c> dates.</param>
    /// <param name="logger">Logs each retry and each opened circuit.</param>
    /// <param name="name">Names the pipeline in log messages, for example the search provider.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/>, <paramref name="options"/>, <paramref name="timeProvider"/> or <paramref name="logger"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddHttpResilience(
        this ResiliencePipelineBuilder<HttpResponseMessage> builder, HttpResilienceOptions options, TimeProvider timeProvider, ILogger logger, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!options.Enabled)
        {
            return builder;
        }

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: { } e } when AddressRefusedException.IsRefusal(e) => false,
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } r } when IsTransient(r) => !(ServerDelay(r, timeProvider) > options.MaxRetryAfter),
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? ServerDelay(r, timeProvider) : null),
                OnRetry = args =>
                {
                    logger.LogWarning(
                        "{Name}: attempt {Attempt} failed ({Reason}); retrying in {Delay}",
                        name,
                        args.AttemptNumber + 1,
                        args.Outcome.Exception?.GetType().Name ?? ((int?)args.Outcome.Result?.StatusCode)?.ToString(CultureInfo.InvariantCulture),
                        args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: { } e } when AddressRefusedException.IsRefusal(e) => false,
                { Exception: HttpRequestException or TimeoutRejectedException } => true,
                { Result: { } r } => (int)r.StatusCode >= 500,
                _ => false,
            }),
            OnOpened = args =>
            {
                logger.LogWarning("{Name}: circuit opened for {BreakDuration}", name, args.BreakDuration);
                return default;
            },
        });
        builder.AddTimeout(options.AttemptTimeout);
        return builder;
    }

    /// <summary>Whether a response is worth retrying: HTTP 429 or 5xx.</summary>
    internal static bool IsTransient(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;

    /// <summary>A text naming the delay the server asked for (see <see cref="ServerDelay"/>), to end an error message with: <c>"; it asks to retry after 30 s"</c>.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The text; empty when the server asked for no delay.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    public static string RetryAfterText(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ServerDelay(response, TimeProvider.System) is { } delay ? $"; it asks to retry after {Math.Ceiling(delay.TotalSeconds)} s" : string.Empty;
    }

    /// <summary>
    /// The delay the server asked for: <c>Retry-After</c> (seconds or a date) or, when the quota is spent,
    /// the first value of <c>X-RateLimit-Reset</c> (Brave). Null when the server asked for nothing.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="timeProvider">The clock that a <c>Retry-After</c> date is measured from.</param>
    /// <returns>The delay, never negative; null when the server asked for none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> or <paramref name="timeProvider"/> is null.</exception>
    public static TimeSpan? ServerDelay(HttpResponseMessage response, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        if (FirstHeaderNumber(response, "X-RateLimit-Remaining") == 0 && FirstHeaderNumber(response, "X-RateLimit-Reset") is { } reset)
        {
            return TimeSpan.FromSeconds(reset);
        }

        return null;
    }

    /// <summary>The first comma-separated number of a response header, for example of Brave's <c>X-RateLimit-Remaining: 1, 9000</c>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="header">The header name.</param>
    /// <returns>The number; null when the header is absent or does not start with a number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="header"/> is null, empty or white space.</exception>
    public static long? FirstHeaderNumber(HttpResponseMessage response, string header)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentException.ThrowIfNullOrWhiteSpace(header);
        if (!response.Headers.TryGetValues(header, out var values))
        {
            return null;
        }

        var first = values.FirstOrDefault()?.Split(',')[0].Trim();
        return long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
