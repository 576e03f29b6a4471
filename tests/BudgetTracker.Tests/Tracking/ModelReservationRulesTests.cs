namespace Agents.Budget.Tests.Tracking;

/// <summary>The rules every model-call path shares: which output cap is sent, and what a response without usage costs.</summary>
public sealed class ModelReservationRulesTests
{
    [Theory]
    [InlineData(1_000_000L, null, null)]
    [InlineData(1_000_000L, 256, 256)]
    [InlineData(3_000L, null, 3_000)]
    [InlineData(3_000L, 8_000, 3_000)]
    public void OutputCapFor_SendsTheBudgetsCapWhenItLimitsTheReply(long outputLeft, int? requested, int? expected)
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxOutputTokens = outputLeft });
        using BudgetModelReservation hold = tracker.TryReserveModelCall(10, requested, null, finalAnswer: false);
        Assert.True(hold.Granted);
        Assert.Equal(expected, hold.OutputCapFor(requested));
    }

    [Fact]
    public void CommitEstimate_ChargesThePromptAndTheReplysEstimate_NotTheWholeReservation()
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxOutputTokens = 100_000, MaxInputTokens = 100_000 });
        using BudgetModelReservation hold = tracker.TryReserveModelCall(50, null, null, finalAnswer: false);
        hold.CommitEstimate([new ChatMessage(ChatRole.Assistant, "forty-two")]);

        BudgetSnapshot snapshot = tracker.GetSnapshot();
        Assert.Equal(50, snapshot.InputTokens);
        Assert.InRange(snapshot.OutputTokens, "forty-two".Length, 100);
        Assert.Throws<ArgumentNullException>(() => tracker.TryReserveModelCall(1, null, null, false).CommitEstimate(null!));
    }

    [Fact]
    public async Task ChatClientLayer_ResponseWithoutUsage_IsChargedAnEstimate_AndAnUncappedRequestGetsNoHugeCap()
    {
        var tracker = new BudgetTracker(new BudgetOptions { MaxOutputTokens = 1_000_000, MaxInputTokens = 1_000_000 });
        ChatOptions? seen = null;
        IChatClient inner = new DelegatingAnswer((options) => seen = options);
        IChatClient client = new ChatClientBuilder(inner).UseBudgetTracker(tracker).Build();

        await client.GetResponseAsync("question?");

        Assert.Null(seen?.MaxOutputTokens);
        Assert.InRange(tracker.GetSnapshot().OutputTokens, 1, 100);
    }

    private sealed class DelegatingAnswer(Action<ChatOptions?> onCall) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            onCall(options);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "an answer")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
