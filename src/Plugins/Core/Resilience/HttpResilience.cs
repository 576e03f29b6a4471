using System.Globalization;
using Agents.Plugins.Security;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Agents.Plugins.Resilience;

/// <summary>Builds the plugins' HTTP resilience pipeline from <see cref="HttpResilienceOptions"/>; shared by search and page reads.</summary>
internal static class HttpResilience
{
    /// <summary>
    /// Adds retry (429, 5xx, connection failures except the address guard's refusals, and attempt timeouts; <c>Retry-After</c> honoured up to
    /// <see cref="HttpResilienceOptions.MaxRetryAfter"/>), circuit breaker (5xx, connection failures, timeouts) and the
    /// attempt timeout, in that order. Adds nothing when the options are not <see cref="HttpResilienceOptions.Enabled"/>.
    /// </summary>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddHttpResilience(
        this ResiliencePipelineBuilder<HttpResponseMessage> builder, HttpResilienceOptions options, TimeProvider timeProvider, ILogger logger, string name)
    {
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
    public static bool IsTransient(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;

    /// <summary>A text naming the delay the server asked for, for error messages; empty when it asked for none.</summary>
    public static string RetryAfterText(HttpResponseMessage response)
        => ServerDelay(response, TimeProvider.System) is { } delay ? $"; it asks to retry after {Math.Ceiling(delay.TotalSeconds)} s" : string.Empty;

    /// <summary>
    /// The delay the server asked for: <c>Retry-After</c> (seconds or a date) or, when the quota is spent,
    /// the first value of <c>X-RateLimit-Reset</c> (Brave). Null when the server asked for nothing.
    /// </summary>
    public static TimeSpan? ServerDelay(HttpResponseMessage response, TimeProvider timeProvider)
    {
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

    /// <summary>The first comma-separated number of a response header; null when absent or not a number.</summary>
    public static long? FirstHeaderNumber(HttpResponseMessage response, string header)
    {
        if (!response.Headers.TryGetValues(header, out var values))
        {
            return null;
        }

        var first = values.FirstOrDefault()?.Split(',')[0].Trim();
        return long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}
