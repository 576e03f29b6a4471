namespace Agents.Samples.Tests.Eval;

/// <summary>A callback-driven strategy for grid tests.</summary>
internal sealed class ScriptedStrategy(string name, Func<EvalItem, int, CancellationToken, Task<EvalAttempt>> run) : IEvalStrategy
{
    private int _calls;

    public string Name => name;

    public int Calls => Volatile.Read(ref _calls);

    public Task<EvalAttempt> RunAsync(EvalItem item, int budget, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return run(item, budget, cancellationToken);
    }

    /// <summary>Answers correctly when budget ≥ <paramref name="needs"/>, spends budget units and $0.001 per unit.</summary>
    public static ScriptedStrategy Threshold(string name, int needs) => new(name, (item, budget, _) =>
        Task.FromResult(new EvalAttempt(budget >= needs ? item.Answer : "wrong", "answered", budget * 0.001m, budget, 100, 10)));
}
