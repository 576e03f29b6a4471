namespace Agents.Plugins.Search;

/// <summary>
/// The resilience pipeline of one search provider (Polly v8): a concurrency limiter, retries with jittered
/// exponential backoff on HTTP 429 and 5xx that honour <c>Retry-After</c>, a circuit breaker, and a
/// per-attempt timeout. Each provider instance owns its own pipeline.
/// </summary>
public sealed class SearchResilienceOptions
{
    /// <summary>Gets or sets the most retries after the first attempt. Default: 3. Range: 0 to 10.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the jittered exponential backoff. Default: 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest backoff delay. Default: 30 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> the pipeline waits for; a server asking for more is not
    /// retried and the query fails with a clear message. Default: 60 seconds.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the timeout of one attempt. Default: 20 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets the failure ratio that opens the circuit. Default: 0.5. Range: above 0, at most 1.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the fewest attempts in a sampling window before the circuit can open. Default: 6. Minimum: 2.</summary>
    public int BreakerMinimumThroughput { get; set; } = 6;

    /// <summary>Gets or sets the sampling window of the circuit breaker. Default: 30 seconds.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long an open circuit rejects calls. Default: 30 seconds.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the most requests in flight to the provider. Default: 2.</summary>
    public int MaxConcurrentRequests { get; set; } = 2;

    /// <summary>Gets or sets how many requests may wait for a free slot before new ones are rejected. Default: 32.</summary>
    public int QueueLimit { get; set; } = 32;

    /// <summary>Checks the options.</summary>
    /// <param name="owner">The options object that holds these, named in error messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate(string owner = nameof(SearchResilienceOptions))
    {
        Check(MaxRetryAttempts is >= 0 and <= 10, nameof(MaxRetryAttempts), MaxRetryAttempts, "must be between 0 and 10");
        Check(BaseDelay >= TimeSpan.Zero, nameof(BaseDelay), BaseDelay, "must not be negative");
        Check(MaxDelay >= BaseDelay, nameof(MaxDelay), MaxDelay, "must be at least BaseDelay");
        Check(MaxRetryAfter >= TimeSpan.Zero, nameof(MaxRetryAfter), MaxRetryAfter, "must not be negative");
        Check(AttemptTimeout >= TimeSpan.FromMilliseconds(10) && AttemptTimeout <= TimeSpan.FromDays(1), nameof(AttemptTimeout), AttemptTimeout, "must be between 10 ms and 1 day");
        Check(BreakerFailureRatio is > 0 and <= 1, nameof(BreakerFailureRatio), BreakerFailureRatio, "must be above 0 and at most 1");
        Check(BreakerMinimumThroughput >= 2, nameof(BreakerMinimumThroughput), BreakerMinimumThroughput, "must be at least 2");
        Check(BreakerSamplingDuration >= TimeSpan.FromMilliseconds(500), nameof(BreakerSamplingDuration), BreakerSamplingDuration, "must be at least 500 ms");
        Check(BreakDuration >= TimeSpan.FromMilliseconds(500), nameof(BreakDuration), BreakDuration, "must be at least 500 ms");
        Check(MaxConcurrentRequests >= 1, nameof(MaxConcurrentRequests), MaxConcurrentRequests, "must be at least 1");
        Check(QueueLimit >= 0, nameof(QueueLimit), QueueLimit, "must not be negative");

        void Check(bool ok, string name, object value, string rule)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{owner}.{name} {rule}.");
            }
        }
    }
}
