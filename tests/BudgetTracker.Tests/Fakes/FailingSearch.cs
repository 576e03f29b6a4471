namespace Agents.Budget.Tests.Fakes;

/// <summary>
/// A model that asks for one search call three times, then answers (100 input and 10 output tokens a call), and a
/// search body that ends the request as the <see cref="ToolOutcome"/> says: the third run throws, or the second
/// cancels the request and waits.
/// </summary>
internal sealed class FailingSearch(ToolOutcome outcome, CancellationTokenSource cts)
{
    private int _runs;

    /// <summary>The scripted model.</summary>
    public ScriptedChatClient Model { get; } = new((messages, options, turn) =>
        turn < 3 ? Script.ToolCalls(options!.Tools![0].Name, 1, 1, 100, 10, turn) : Script.Answer("done", 100, 10));

    /// <summary>Every set-up, with and without streaming, with every outcome.</summary>
    public static TheoryData<TSetup, bool, ToolOutcome> Cases<TSetup>()
        where TSetup : struct, Enum
    {
        var data = new TheoryData<TSetup, bool, ToolOutcome>();
        foreach (TSetup setup in Enum.GetValues<TSetup>())
        {
            foreach (bool streaming in new[] { false, true })
            {
                foreach (ToolOutcome outcome in Enum.GetValues<ToolOutcome>())
                {
                    data.Add(setup, streaming, outcome);
                }
            }
        }

        return data;
    }

    /// <summary>The search tool's body.</summary>
    public async Task<string> SearchAsync(string[] queries, CancellationToken cancellationToken)
    {
        int run = Interlocked.Increment(ref _runs);
        if (outcome == ToolOutcome.ToolThrows && run == 3)
        {
            throw new InvalidOperationException("the search backend failed");
        }

        if (outcome == ToolOutcome.CancelledDuringTool && run == 2)
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return $"{queries.Length} results";
    }

    /// <summary>Awaits the request: it completes, throws an <see cref="InvalidOperationException"/> (returned) or is cancelled.</summary>
    public async Task<Exception?> AwaitAsync(Task run)
    {
        switch (outcome)
        {
            case ToolOutcome.Completes:
                await run;
                return null;
            case ToolOutcome.ToolThrows:
                return await Assert.ThrowsAnyAsync<InvalidOperationException>(() => run);
            default:
                return await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }
    }

    /// <summary>Asserts that the model was called as often as the outcome allows and each call was counted once.</summary>
    public void AssertEveryCallCountedOnce(BudgetTracker tracker)
    {
        int calls = outcome switch { ToolOutcome.Completes => 4, ToolOutcome.ToolThrows => 3, _ => 2 };
        Assert.Equal(calls, Model.Calls.Count);
        BudgetSnapshot snapshot = tracker.GetSnapshot();
        Assert.Equal(100 * calls, snapshot.InputTokens);
        Assert.Equal(10 * calls, snapshot.OutputTokens);
    }
}
