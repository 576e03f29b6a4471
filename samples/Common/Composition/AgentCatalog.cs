using Agents.Budget;
using Agents.Planners.Bats;
using Agents.Planners.ReAct;
using Agents.Planners.Runs;
using Agents.Planners.Scaling;
using Agents.Samples.Common.Cli;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Agents.Samples.Common.Composition;

/// <summary>The agents the samples can run, by name.</summary>
public static class AgentCatalog
{
    /// <summary>
    /// The strategy names: <c>react</c> (plain ReAct), <c>react+budget</c> (ReAct with the budget tracker), <c>bats</c>,
    /// and the test-time-scaling strategies over ReAct + budget tracker on the same shared budget:
    /// <c>self-consistency</c> (3 samples, majority vote), <c>best-of-n</c> and <c>best-of-majority</c> (3 samples, the
    /// model as verifier), <c>first-finish</c> (3 parallel samples, the first answer wins) and <c>plan-and-budget</c>.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } = ["react", "react+budget", "bats", "self-consistency", "best-of-n", "best-of-majority", "first-finish", "plan-and-budget"];

    /// <summary>Returns the canonical name (accepts <c>react-budget</c> and any case).</summary>
    /// <exception cref="CommandLineException">An unknown name, with a suggestion.</exception>
    public static string Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = name.Trim().ToLowerInvariant().Replace("-budget", "+budget", StringComparison.Ordinal).Replace("_budget", "+budget", StringComparison.Ordinal);
        return Names.Contains(n)
            ? n
            : throw new CommandLineException($"Unknown strategy '{name}'.{Suggestions.DidYouMean(n, Names)} Choose from {string.Join(", ", Names)}.");
    }

    /// <summary>Creates the agent named <paramref name="name"/> over one budget.</summary>
    public static AgentRunner Create(string name, IChatClient chatClient, IEnumerable<AITool> tools, BudgetTracker tracker, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        var toolList = tools.ToList();
        AgentRunner Tracked() => new ReActAgent(chatClient, toolList, tracker, new ReActOptions { BudgetAware = true }, timeProvider, loggerFactory);
        return Canonical(name) switch
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
