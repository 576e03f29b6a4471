namespace Agents.Hosting;

/// <summary>
/// The standard resilience handler (Microsoft.Extensions.Http.Resilience) on the HTTP client of an OpenAI-compatible
/// model: a total timeout, retries of transient failures (429, 408, 5xx, network errors) that honour
/// <c>Retry-After</c>, a circuit breaker and a timeout per attempt. Bound from <c>Model:Resilience</c>.
/// </summary>
public sealed class ModelResilienceOptions
{
    /// <summary>Gets or sets how many times a failed call is retried. Default 2.</summary>
    [Range(1, 10)]
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Gets or sets the base delay of the exponential back-off (used when the server sends no <c>Retry-After</c>). Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how long one attempt may take before it is cancelled and retried. Default 2 minutes (a model reply can be slow).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how long one call may take with all its attempts and delays. Default 10 minutes; must exceed <see cref="AttemptTimeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the share of failed calls (in the sampling window) that opens the circuit. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many calls the sampling window must hold before the circuit can open. Default 10.</summary>
    [Range(2, 10_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets how long the circuit stays open (calls fail at once) before a trial call. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
