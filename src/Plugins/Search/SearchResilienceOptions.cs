using Agents.Plugins.Resilience;

namespace Agents.Plugins.Search;

/// <summary>
/// The resilience pipeline of one search provider (Polly v8): a concurrency limiter in front of the shared
/// <see cref="HttpResilienceOptions"/> pipeline (retries with jittered exponential backoff on HTTP 429 and 5xx that
/// honour <c>Retry-After</c>, a circuit breaker, and a per-attempt timeout). Each provider instance owns its own pipeline.
/// </summary>
public sealed class SearchResilienceOptions : HttpResilienceOptions
{
    /// <summary>Gets or sets the most requests in flight to the provider. Default: 2.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be at least 1.")]
    public int MaxConcurrentRequests { get; set; } = 2;

    /// <summary>Gets or sets how many requests may wait for a free slot before new ones are rejected. Default: 32.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "{0} must not be negative.")]
    public int QueueLimit { get; set; } = 32;

    /// <inheritdoc />
    protected override ValidateOptionsResult ValidateMembers(string name) => new SearchResilienceOptionsValidator().Validate(name, this);
}
