using Agents.Budget;
using Agents.Planners.Runs;
using Microsoft.Extensions.Logging;

namespace Agents.Samples.Common.Composition;

/// <summary>The agents the samples can run, by name (<see cref="ResearchAgents"/>), with command-line messages.</summary>
public static class AgentCatalog
{
    /// <summary>The strategy names (see <see cref="ResearchAgents.Strategies"/>).</summary>
    public static IReadOnlyList<string> Names => ResearchAgents.Strategies;

    /// <summary>Returns the canonical name (accepts <c>react-budget</c> and any case).</summary>
    /// <exception cref="CommandLineException">An unknown name, with a suggestion.</exception>
    public static string Canonical(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ResearchAgents.Canonical(name)
            ?? throw new CommandLineException($"Unknown strategy '{name}'.{Suggestions.DidYouMean(name.Trim().ToLowerInvariant(), Names)} Choose from {string.Join(", ", Names)}.");
    }

    /// <summary>Creates the agent named <paramref name="name"/> over one budget.</summary>
    public static AgentRunner Create(string name, IChatClient chatClient, IEnumerable<AITool> tools, BudgetTracker tracker, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        ResearchAgents.Create(Canonical(name), chatClient, tools, tracker, timeProvider, loggerFactory);
}
