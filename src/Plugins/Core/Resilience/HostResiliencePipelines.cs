using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Polly;

namespace Agents.Plugins.Resilience;

/// <summary>
/// One resilience pipeline per host (scheme, host and port), so a failing site opens its own circuit and never
/// stops reads from the others. Used by the page fetchers for every request they send, and by any plugin that
/// reads from many sites.
/// </summary>
/// <remarks>
/// Each pipeline is <see cref="HttpResilience.AddHttpResilience"/> over <see cref="Options"/>. At most 1024 hosts keep a
/// pipeline; when more are seen, all start afresh. Thread-safe.
/// </remarks>
public sealed class HostResiliencePipelines
{
    /// <summary>The most hosts with a pipeline; when more are seen, the pipelines (and their circuits) start afresh.</summary>
    internal const int MaxHosts = 1024;

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.OrdinalIgnoreCase);
    private readonly HttpResilienceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _name;

    /// <summary>Creates the pipelines; none is built until a host is first seen.</summary>
    /// <param name="options">The options of every pipeline; validated here.</param>
    /// <param name="name">Names the pipelines in log messages (followed by the host), for example the fetcher.</param>
    /// <param name="timeProvider">The clock of delays and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">
    /// Creates the logger of retries and opened circuits (category <see cref="HostResiliencePipelines"/>; each message
    /// names the pipeline and the host). None when null.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names the option.</exception>
    public HostResiliencePipelines(HttpResilienceOptions options, string name, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options.Validate();
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger<HostResiliencePipelines>() ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _name = name;
    }

    /// <summary>Gets the options the pipelines follow.</summary>
    public HttpResilienceOptions Options => _options;

    /// <summary>Runs <paramref name="send"/> through the pipeline of <paramref name="url"/>'s host (scheme, host and port); once, when the options are not <see cref="HttpResilienceOptions.Enabled"/>.</summary>
    /// <typeparam name="TState">What <paramref name="send"/> needs, passed to it without a closure.</typeparam>
    /// <param name="url">The URL of the request; its authority picks the pipeline.</param>
    /// <param name="send">Sends one attempt; it builds its request afresh each time, since a request cannot be sent twice.</param>
    /// <param name="state">Passed to <paramref name="send"/>.</param>
    /// <param name="cancellationToken">Cancels the attempts and the delays between them.</param>
    /// <returns>The response of the last attempt.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="url"/> or <paramref name="send"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not absolute.</exception>
    public ValueTask<HttpResponseMessage> ExecuteAsync<TState>(Uri url, Func<TState, CancellationToken, ValueTask<HttpResponseMessage>> send, TState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(send);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"The URL must be absolute to pick a host's pipeline; '{url}' is relative.", nameof(url));
        }

        if (!_options.Enabled)
        {
            return send(state, cancellationToken);
        }

        var key = url.GetLeftPart(UriPartial.Authority);
        if (!_pipelines.TryGetValue(key, out var pipeline))
        {
            if (_pipelines.Count >= MaxHosts)
            {
                _pipelines.Clear();
            }

            pipeline = _pipelines.GetOrAdd(key, k => new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider, Name = $"{_name} {k}" }
                .AddHttpResilience(_options, _timeProvider, _logger, $"{_name} {k}")
                .Build());
        }

        return pipeline.ExecuteAsync(static (s, ct) => s.send(s.state, ct), (send, state), cancellationToken);
    }
}
