namespace Agents.Samples.ChatApp.Agents;

/// <summary>The planners the page offers.</summary>
internal enum AgentStrategy
{
    /// <summary>BATS: plan, verify, dig deeper or pivot under the budget.</summary>
    Bats,

    /// <summary>ReAct with the budget tracker's block after every tool result.</summary>
    ReActWithTracker,

    /// <summary>Deep research: the FS-Researcher workflow collects evidence, then writes a Markdown report section by section.</summary>
    Report,
}
