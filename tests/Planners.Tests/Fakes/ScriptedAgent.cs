namespace Agents.Planners.Tests.Fakes;

/// <summary>An agent whose n-th run is decided by a callback; used to test strategies without a model loop.</summary>
public sealed class ScriptedAgent(BudgetTracker tracker, Func<AgentRunContext, int, CancellationToken, Task<AgentRunResult>> script)
    : AgentRunner(tracker, null, null)
{
    private int _runs;
    private readonly List<AgentRunRequest> _requests = [];

    public override string Name => "scripted";

    public IReadOnlyList<AgentRunRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static ScriptedAgent Answers(BudgetTracker tracker, params string?[] answers) =>
        new(tracker, (context, i, _) => Task.FromResult(Answer(context, answers[i])));

    /// <summary>Spends one model call's tokens, then answers (null: gives up).</summary>
    public static AgentRunResult Answer(AgentRunContext context, string? answer)
    {
        context.RecordModelResponse("act", Reply.Text(answer ?? "hmm"), null);
        return answer is null
            ? context.CreateResult(AgentRunStatus.GaveUp, null, null, "scripted give-up")
            : context.CreateResult(AgentRunStatus.Answered, answer, 0.5, "scripted");
    }

    protected override Task<AgentRunResult> ExecuteAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(context.Request);
        }

        return script(context, Interlocked.Increment(ref _runs) - 1, cancellationToken);
    }
}
