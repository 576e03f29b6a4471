using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Polly;

namespace Agents.Plugins.Resilience;

/// <summary>
/// One resilience pipeline per host (scheme, host and port), so a failing site opens its own circuit and never
/// stops reads from the others. Used by the page fetchers for every request they send.
/// </summary>
internal sealed class HostResiliencePipelines
{
    /// <summary>The most hosts with a pipeline; when more are seen, the pipelines (and their circuits) start afresh.</summary>
    internal const int MaxHosts = 1024;

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new(StringComparer.OrdinalIgnoreCase);
    private readonly HttpResilienceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _name;

    public HostResiliencePipelines(HttpResilienceOptions options, TimeProvider timeProvider, ILogger logger, string name)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _name = name;
    }

    /// <summary>The options the pipelines follow.</summary>
    public HttpResilienceOptions Options => _options;

    /// <summary>Runs <paramref name="send"/> (one attempt, building its request afresh) through the pipeline of <paramref name="url"/>'s host.</summary>
    public ValueTask<HttpResponseMessage> ExecuteAsync<TState>(Uri url, Func<TState, CancellationToken, ValueTask<HttpResponseMessage>> send, TState state, CancellationToken cancellationToken)
    {
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
