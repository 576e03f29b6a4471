namespace Agents.Samples.ChatApp.Tests.Fakes;

/// <summary>An agent runner whose events come from a test callback.</summary>
internal sealed class ScriptedAgentRunner : IAgentRunner
{
    private readonly Func<AgentRunRequest, CancellationToken, IAsyncEnumerable<AgentEvent>> _script;

    public ScriptedAgentRunner(Func<AgentRunRequest, CancellationToken, IAsyncEnumerable<AgentEvent>> script) => _script = script;

    public List<AgentRunRequest> Requests { get; } = [];

    public IAsyncEnumerable<AgentEvent> RunAsync(AgentRunRequest request, CancellationToken cancellationToken)
    {
        lock (Requests) Requests.Add(request);
        return _script(request, cancellationToken);
    }
}
