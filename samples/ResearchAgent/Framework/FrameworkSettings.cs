using System.CommandLine;

namespace Agents.Samples.ResearchAgent.Framework;

/// <summary>The <c>--framework</c> mode's settings: the strategy, whether to ask for more units, and the session file (read when it exists).</summary>
/// <param name="Strategy">The canonical strategy name.</param>
/// <param name="AskForMoreUnits">The units to offer when a category is spent; null never asks.</param>
/// <param name="SessionPath">The <c>--session</c> file; null keeps the session in memory only.</param>
/// <param name="SavedSession">The serialized session read from <paramref name="SessionPath"/>; null for a new session.</param>
internal sealed record FrameworkSettings(string Strategy, int? AskForMoreUnits, string? SessionPath, JsonElement? SavedSession)
{
    /// <summary>
    /// Gets a value indicating whether the strategy runs as the framework's own <c>ChatClientAgent</c> with the budget
    /// middleware (a ReAct tool loop), which asks for more units through the framework's approval requests; the planners
    /// ask through the run's tracker (<see cref="Agents.Budget.BudgetOptions.ExtensionApprover"/>).
    /// </summary>
    public bool UsesChatClientAgent => Strategy is "react" or "react+budget";

    /// <summary>Reads the settings; null without <c>--framework</c>.</summary>
    /// <param name="parsed">The command line.</param>
    /// <param name="mode">The canonical <c>--mode</c>.</param>
    /// <param name="strategy">The canonical <c>--strategy</c>.</param>
    /// <param name="askForMoreUnits">The <c>--ask-for-more</c> units; null never asks.</param>
    /// <exception cref="CommandLineException">A framework option without <c>--framework</c>, report mode, or an unreadable session file.</exception>
    public static FrameworkSettings? From(ParseResult parsed, string mode, string strategy, int? askForMoreUnits)
    {
        bool framework = parsed.Has("--framework");
        string? sessionPath = parsed.Get("--session");
        if (!framework)
        {
            if (sessionPath is not null)
            {
                throw new CommandLineException("--session needs --framework: it is the Microsoft Agent Framework's AgentSession, saved to a file. Add --framework.");
            }

            return null;
        }

        if (mode != "qa")
        {
            throw new CommandLineException("--framework runs QA mode only; report mode's stages are Workflow executors of Agents.AgentFramework. Leave out --mode report or --framework.");
        }

        var settings = new FrameworkSettings(strategy, askForMoreUnits, sessionPath is null ? null : Path.GetFullPath(sessionPath), null);
        return settings.SessionPath is null ? settings : settings with { SavedSession = SessionFile.Load(settings.SessionPath, strategy) };
    }
}
