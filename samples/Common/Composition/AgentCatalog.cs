using Agents.Budget;
using Agents.Planners.Bats;
using Agents.Planners.ReAct;
using Agents.Planners.Runs;
using Agents.Samples.Common.CommandLine;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Agents.Samples.Common.Composition;

/// <summary>The agents the samples can run, by name.</summary>
public static class AgentCatalog
{
    /// <summary>The strategy names: <c>react</c> (plain ReAct), <c>react+budget</c> (ReAct with the budget tracker), <c>bats</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["react", "react+budget", "bats"];

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
        return Canonical(name) switch
        {
            "react" => new ReActAgent(chatClient, tools, tracker, new ReActOptions { BudgetAware = false }, timeProvider, loggerFactory),
            "react+budget" => new ReActAgent(chatClient, tools, tracker, new ReActOptions { BudgetAware = true }, timeProvider, loggerFactory),
            _ => new BatsAgent(chatClient, tools, tracker, new BatsOptions(), timeProvider, loggerFactory),
        };
    }
}
