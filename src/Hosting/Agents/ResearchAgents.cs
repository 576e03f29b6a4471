using Agents.Planners.Bats;
using Agents.Planners.ReAct;
using Agents.Planners.Runs;
using Agents.Planners.Scaling;

namespace Agents.Hosting;

/// <summary>The research agents by strategy name: ReAct, BATS and the test-time-scaling strategies over one budget.</summary>
public static class ResearchAgents
{
    /// <summary>
    /// The strategy names: <c>react</c> (plain ReAct), <c>react+budget</c> (ReAct with the budget tracker), <c>bats</c>,
    /// and the test-time-scaling strategies over ReAct + budget tracker on the same shared budget:
    /// <c>self-consistency</c> (3 samples, majority vote), <c>best-of-n</c> and <c>best-of-majority</c> (3 samples, the
    /// model as verifier), <c>first-finish</c> (3 parallel samples, the first answer wins) and <c>plan-and-budget</c>.
    /// </summary>
    public static IReadOnlyList<string> Strategies { get; } = ["react", "react+budget", "bats", "self-consistency", "best-of-n", "best-of-majority", "first-finish", "plan-and-budget"];

    /// <summary>Returns the canonical name (accepts <c>react-budget</c> and any case), or <see langword="null"/> for an unknown one.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The canonical name or null.</returns>
    public static string? Canonical(string? name)
    {
        if (name is null)
        {
            return null;
        }

        string n = name.Trim().ToLowerInvariant();
        if (Strategies.Contains(n))
        {
            return n;
        }

        // react-budget and react_budget name react+budget (a plus sign is awkward in some shells); plan-and-budget keeps its dash.
        n = n.Replace("-budget", "+budget", StringComparison.Ordinal).Replace("_budget", "+budget", StringComparison.Ordinal);
        return Strategies.Contains(n) ? n : null;
    }

    /// <summary>Creates the agent named <paramref name="strategy"/> over one budget.</summary>
    /// <param name="strategy">The strategy (see <see cref="Strategies"/>).</param>
    /// <param name="chatClient">The model.</param>
    /// <param name="tools">The tools.</param>
    /// <param name="tracker">The budget.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <returns>The agent.</returns>
    /// <exception cref="ArgumentException">The strategy is unknown.</exception>
    public static AgentRunner Create(string strategy, IChatClient chatClient, IEnumerable<AITool> tools, BudgetTracker tracker, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var name = Canonical(strategy) ?? throw new ArgumentException($"Unknown strategy '{strategy}'; choose from {string.Join(", ", Strategies)}.", nameof(strategy));
        timeProvider ??= TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        var toolList = tools.ToList();
        AgentRunner Tracked() => new ReActAgent(chatClient, toolList, tracker, new ReActOptions { BudgetAware = true }, timeProvider, loggerFactory);
        return name switch
        {
            "react" => new ReActAgent(chatClient, toolList, tracker, new ReActOptions { BudgetAware = false }, timeProvider, loggerFactory),
            "react+budget" => Tracked(),
            "bats" => new BatsAgent(chatClient, toolList, tracker, new BatsOptions(), timeProvider, loggerFactory),
            "self-consistency" => new SelfConsistencyStrategy(Tracked(), new SelfConsistencyOptions { Samples = 3 }, timeProvider, loggerFactory),
            "best-of-n" => new BestOfNStrategy(Tracked(), chatClient, new BestOfNOptions { Samples = 3 }, timeProvider, loggerFactory),
            "best-of-majority" => new BestOfMajorityStrategy(Tracked(), chatClient, new BestOfMajorityOptions { Samples = 3 }, timeProvider, loggerFactory),
            "first-finish" => new FirstFinishSearchStrategy(Tracked(), new FirstFinishSearchOptions { Samples = 3 }, timeProvider, loggerFactory),
            _ => new PlanAndBudgetStrategy(Tracked(), chatClient, new PlanAndBudgetOptions(), timeProvider, loggerFactory),
        };
    }
}
