using Agents.Planners.Context;

namespace Agents.Planners.Tests.Context;

public sealed class ContextWindowChatReducerTests
{
    private static List<ChatMessage> Conversation(int turns, int words)
    {
        List<ChatMessage> messages = [new(ChatRole.System, "You are an agent."), new(ChatRole.User, "Question: what is the answer?")];
        for (int i = 0; i < turns; i++)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"c{i}", "browse", new Dictionary<string, object?> { ["page"] = i })]));
            messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent($"c{i}", ContextWindowLoopTests.Page(i, words))]));
        }

        return messages;
    }

    [Fact]
    public async Task ConversationThatFits_IsReturnedUnchanged()
    {
        List<ChatMessage> messages = Conversation(2, 10);
        var reducer = new ContextWindowChatReducer(new ContextWindow(4096));

        IEnumerable<ChatMessage> reduced = await reducer.ReduceAsync(messages, CancellationToken.None);

        Assert.Equal(messages, reduced);
    }

    [Fact]
    public async Task LongConversation_FitsKeepsQuestionAndEveryResultHasItsCall_OriginalUntouched()
    {
        List<ChatMessage> messages = Conversation(40, 300);
        string before = string.Join("|", messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result));
        var window = new ContextWindow(2048, 512) { CountTokens = WindowedChatClient.Words };
        var reducer = new ContextWindowChatReducer(window);

        List<ChatMessage> reduced = [.. await reducer.ReduceAsync(messages, CancellationToken.None)];

        Assert.True(reducer.CountPromptTokens(reduced) <= window.PromptTokens);
        Assert.Equal("You are an agent.", reduced[0].Text);
        Assert.Equal("Question: what is the answer?", reduced[1].Text);
        Assert.Contains("earlier messages of this conversation were removed", reduced[2].Text, StringComparison.Ordinal);
        HashSet<string> calls = [.. reduced.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.CallId)];
        Assert.All(reduced.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => Assert.Contains(r.CallId, calls));
        Assert.Contains("page39word299", ContextWindowLoopTests.ToolText(new ChatCall(0, reduced, null)), StringComparison.Ordinal);
        Assert.Equal(before, string.Join("|", messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result)));
    }

    [Fact]
    public async Task OneMessageLongerThanTheWindow_IsCutInTheMiddle_KeepingItsStartAndEnd()
    {
        string longText = "Question: who? " + ContextWindowLoopTests.Page(1, 3000) + " Proposed answer: Ada";
        List<ChatMessage> messages = [new(ChatRole.System, "You are the verifier."), new(ChatRole.User, longText)];
        var window = new ContextWindow(1024, 256) { CountTokens = WindowedChatClient.Words };
        var reducer = new ContextWindowChatReducer(window);

        List<ChatMessage> reduced = [.. await reducer.ReduceAsync(messages, CancellationToken.None)];

        Assert.True(reducer.CountPromptTokens(reduced) <= window.PromptTokens);
        Assert.StartsWith("Question: who? page1word0", reduced[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("Proposed answer: Ada", reduced[1].Text, StringComparison.Ordinal);
        Assert.Contains("cut to fit the context window", reduced[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextWindow_RejectsReserveThatLeavesNoPrompt_AndEstimatesConservatively()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContextWindow(100, 90));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContextWindow(10));
        Assert.Equal(4, new ContextWindow(1000).Count("twelve chars"));
        Assert.Equal(2, new ContextWindow(1000) { CountTokens = WindowedChatClient.Words }.Count("twelve chars"));
    }
}
