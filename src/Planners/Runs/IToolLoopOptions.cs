using Agents.Planners.Context;

namespace Agents.Planners.Runs;

/// <summary>The options a <see cref="ToolLoop"/> reads: those the tool-running agents share.</summary>
internal interface IToolLoopOptions
{
    /// <summary>Gets the longest tool result kept, in characters.</summary>
    int MaxToolResultChars { get; }

    /// <summary>Gets the chat options of every call; tools are set by the agent.</summary>
    ChatOptions? ChatOptions { get; }

    /// <summary>Gets the model's context window, or null for the one the chat client announces.</summary>
    ContextWindow? ContextWindow { get; }
}
