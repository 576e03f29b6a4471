using Agents.Planners.Runs;
using Agents.Plugins.Archiving;

namespace Agents.Hosting;

/// <summary>
/// Makes the configured agent (<see cref="ResearchAgentOptions"/>) for one run: a fresh budget tracker and fresh
/// research tools each time, over the registered model. Registered by <c>AddResearchAgent</c>.
/// </summary>
public sealed class ResearchAgentFactory
{
    private readonly IChatClient _chatClient;
    private readonly ResearchToolset _tools;
    private readonly ResearchAgentOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the factory.</summary>
    /// <param name="chatClient">The model.</param>
    /// <param name="tools">The research tools.</param>
    /// <param name="options">The strategy and budget.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    public ResearchAgentFactory(IChatClient chatClient, ResearchToolset tools, IOptions<ResearchAgentOptions> options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _chatClient = chatClient;
        _tools = tools;
        _options = options.Value;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>Gets the canonical strategy name.</summary>
    public string Strategy => ResearchAgents.Canonical(_options.Strategy)!;

    /// <summary>A fresh tracker with the configured budget.</summary>
    /// <returns>The tracker.</returns>
    public BudgetTracker CreateTracker() => new(_options.Budget.ToBudgetOptions(), _timeProvider, _loggerFactory);

    /// <summary>The configured agent over <paramref name="tracker"/> (a fresh one when null) with fresh tools.</summary>
    /// <param name="tracker">The budget of the run.</param>
    /// <param name="archive">Where pages read are archived, or null.</param>
    /// <returns>The agent.</returns>
    public AgentRunner Create(BudgetTracker? tracker = null, IPageArchiveSink? archive = null) =>
        ResearchAgents.Create(Strategy, _chatClient, _tools.CreateTools(archive), tracker ?? CreateTracker(), _timeProvider, _loggerFactory);
}
