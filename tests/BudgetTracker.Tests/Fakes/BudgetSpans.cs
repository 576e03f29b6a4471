using System.Collections.Concurrent;
using System.Diagnostics;

namespace Agents.Budget.Tests.Fakes;

/// <summary>Records every stopped activity of the "Agents.Budget" source while it lives; disposing it stops listening.</summary>
internal sealed class BudgetSpans : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public BudgetSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Agents.Budget",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans of the tool named <paramref name="toolName"/>, in the order they stopped.</summary>
    public IEnumerable<Activity> Of(string toolName) => _spans.Where(s => Equals(s.GetTagItem("gen_ai.tool.name"), toolName));

    public void Dispose() => _listener.Dispose();
}
