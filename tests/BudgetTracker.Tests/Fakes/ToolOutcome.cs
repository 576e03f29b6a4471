namespace Agents.Budget.Tests.Fakes;

/// <summary>How a request whose model asks for three search calls ends (see <see cref="FailingSearch"/>).</summary>
public enum ToolOutcome
{
    /// <summary>The model answers after three tool calls: four model calls.</summary>
    Completes,

    /// <summary>The third tool call throws and function invocation rethrows: three model calls.</summary>
    ToolThrows,

    /// <summary>The request is cancelled while the second tool call runs: two model calls.</summary>
    CancelledDuringTool,
}
