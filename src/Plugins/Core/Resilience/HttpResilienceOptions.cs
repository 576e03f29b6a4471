using System.ComponentModel.DataAnnotations;

namespace Agents.Plugins.Resilience;

/// <summary>
/// The resilience pipeline (Polly v8) of the plugins' HTTP calls: search API requests and page reads. Retries with
/// jittered exponential backoff on HTTP 429, 5xx, connection failures and attempt timeouts, honouring
/// <c>Retry-After</c>; a circuit breaker; and a timeout per attempt. On by default.
/// </summary>
/// <remarks>
/// The defaults below are those of search (<c>SearchResilienceOptions</c>); page fetchers start from
/// <see cref="ForBrowsing"/>, which retries less and waits less because a page read has its own overall time limit.
/// </remarks>
public class HttpResilienceOptions : IValidatableObject
{
    /// <summary>Gets or sets a value indicating whether the pipeline runs; when false, each request is sent once. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the most retries after the first attempt. Default: 3. Range: 0 to 10.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the jittered exponential backoff. Default: 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", OptionsValidation.MaxTimeSpan, ErrorMessage = "{0} must not be negative.")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest backoff delay. Default: 30 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> the pipeline waits for; a server asking for more is not
    /// retried and the call fails with a clear message. Default: 60 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", OptionsValidation.MaxTimeSpan, ErrorMessage = "{0} must not be negative.")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the timeout of one attempt (until the response headers arrive). Default: 20 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "{0} must be between 10 ms and 1 day.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets the failure ratio that opens the circuit. Default: 0.5. Range: above 0, at most 1.</summary>
    [Range(0d, 1d, MinimumIsExclusive = true, ErrorMessage = "{0} must be above 0 and at most 1.")]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the fewest attempts in a sampling window before the circuit can open. Default: 6. Minimum: 2.</summary>
    [Range(2, int.MaxValue, ErrorMessage = "{0} must be at least 2.")]
    public int BreakerMinimumThroughput { get; set; } = 6;

    /// <summary>Gets or sets the sampling window of the circuit breaker. Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", OptionsValidation.MaxTimeSpan, ErrorMessage = "{0} must be at least 500 ms.")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long an open circuit rejects calls. Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", OptionsValidation.MaxTimeSpan, ErrorMessage = "{0} must be at least 500 ms.")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Creates the defaults of page reads (one circuit per host): 2 retries, backoff from 500 ms to 5 seconds,
    /// <c>Retry-After</c> honoured up to 10 seconds, 15 seconds per attempt; the breaker as above.
    /// </summary>
    /// <returns>New options.</returns>
    public static HttpResilienceOptions ForBrowsing() => new()
    {
        MaxRetryAttempts = 2,
        BaseDelay = TimeSpan.FromMilliseconds(500),
        MaxDelay = TimeSpan.FromSeconds(5),
        MaxRetryAfter = TimeSpan.FromSeconds(10),
        AttemptTimeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Checks the options.</summary>
    /// <param name="owner">The name of the options object that holds these, named in error messages; the type name when null.</param>
    /// <exception cref="OptionsValidationException">An option is out of range; the message names it.</exception>
    public void Validate(string? owner = null)
    {
        owner ??= GetType().Name;
        var result = ValidateMembers(owner);
        if (result.Failed)
        {
            throw new OptionsValidationException(owner, GetType(), result.Failures);
        }
    }

    /// <summary>
    /// Checks the options' rules for <see cref="Validate(string?)"/>. This type runs its generated validator; a derived
    /// type (a provider's options with more settings) overrides this to run its own <c>[OptionsValidator]</c>, which
    /// checks the inherited rules too.
    /// </summary>
    /// <param name="name">The name of the options object, named in the messages.</param>
    /// <returns>What the validator found.</returns>
    protected virtual ValidateOptionsResult ValidateMembers(string name) => new HttpResilienceOptionsValidator().Validate(name, this);

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (MaxDelay < BaseDelay)
        {
            yield return new ValidationResult($"{OptionsValidation.OwnerName(validationContext)}.{nameof(MaxDelay)} must be at least BaseDelay (it is {MaxDelay}, BaseDelay {BaseDelay}).", [nameof(MaxDelay)]);
        }
    }
}
