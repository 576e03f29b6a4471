using System.CommandLine;
using System.Text.Json;
using Agents.Samples.Common.Cli;

namespace Agents.Samples.ResearchAgent.Framework;

/// <summary>The <c>--framework</c> mode's settings: the strategy, whether to ask for more units, and the session file (read when it exists).</summary>
/// <param name="Strategy">The canonical strategy name.</param>
/// <param name="AskForMoreUnits">The units to offer when a category is spent; null never asks.</param>
/// <param name="SessionPath">The <c>--session</c> file; null keeps the session in memory only.</param>
/// <param name="SavedSession">The serialized session read from <paramref name="SessionPath"/>; null for a new session.</param>
internal sealed record FrameworkSettings(string Strategy, int? AskForMoreUnits, string? SessionPath, JsonElement? SavedSession)
{
    /// <summary>Gets a value indicating whether the strategy runs as the framework's own <c>ChatClientAgent</c> with the budget middleware (a ReAct tool loop).</summary>
    public bool UsesChatClientAgent => Strategy is "react" or "react+budget";

    /// <summary>Reads the settings; null without <c>--framework</c>.</summary>
    /// <exception cref="CommandLineException">A framework option without <c>--framework</c>, report mode, <c>--ask-for-more</c> with a planner strategy, or an unreadable session file.</exception>
    public static FrameworkSettings? From(ParseResult parsed, string mode, string strategy)
    {
        bool framework = parsed.Has("--framework");
        string? sessionPath = parsed.Get("--session");
        int? ask = parsed.Get("--ask-for-more") is null ? null : parsed.GetPositiveInt("--ask-for-more", 1);
        if (!framework)
        {
            if (ask is not null)
            {
                throw new CommandLineException("--ask-for-more needs --framework: the console asks through the Microsoft Agent Framework's approval requests. Add --framework (with --strategy react or react+budget).");
            }

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

        var settings = new FrameworkSettings(strategy, ask, sessionPath is null ? null : Path.GetFullPath(sessionPath), null);
        if (ask is not null && !settings.UsesChatClientAgent)
        {
            throw new CommandLineException($"--ask-for-more works with --strategy react or react+budget (the framework's ChatClientAgent with the budget middleware, which can pause a run); {strategy} charges its budget inside its planner and cannot pause.");
        }

        return settings.SessionPath is null ? settings : settings with { SavedSession = SessionFile.Load(settings.SessionPath, strategy) };
    }
}
