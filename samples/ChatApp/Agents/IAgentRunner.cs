namespace Agents.Samples.ChatApp.Agents;

/// <summary>Runs one agent turn and streams what happens; the server depends only on this.</summary>
internal interface IAgentRunner
{
    /// <summary>Runs the agent for <paramref name="request"/>, yielding events until the run ends.</summary>
    /// <param name="request">The question, history, strategy and budget.</param>
    /// <param name="cancellationToken">Stops the run (the stop button, a closed page or the server's time limit).</param>
    /// <returns>The events in order; the last one is an <see cref="AnswerEvent"/> when the agent answered.</returns>
    IAsyncEnumerable<AgentEvent> RunAsync(AgentRunRequest request, CancellationToken cancellationToken);
}
