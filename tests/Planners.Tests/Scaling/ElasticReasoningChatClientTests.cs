using Agents.Planners.Scaling;

namespace Agents.Planners.Tests.Scaling;

public sealed class ElasticReasoningChatClientTests
{
    private static IChatClient Build(ScriptedChatClient inner, int thinking = 100, int answer = 20) =>
        new ChatClientBuilder(inner).UseElasticReasoning(o => { o.ThinkingTokens = thinking; o.AnswerTokens = answer; }).Build();

    [Fact]
    public async Task CompleteThinkingAndAnswer_PassesThroughInOneCall()
    {
        var inner = new ScriptedChatClient(_ => Reply.Text("<think>easy</think>42"));
        ChatResponse response = await Build(inner).GetResponseAsync("q?");
        Assert.Equal("<think>easy</think>42", response.Text);
        Assert.Single(inner.Calls);
        Assert.Equal(100, inner.Calls[0].Options!.MaxOutputTokens);
    }

    [Fact]
    public async Task ThinkingCutByBudget_IsClosed_AndAnswerGetsItsOwnBudget()
    {
        var inner = new ScriptedChatClient(call => call.Index == 0
            ? Reply.Text("<think>long reasoning that never ends", ChatFinishReason.Length)
            : Reply.Text("42"));
        ChatResponse response = await Build(inner).GetResponseAsync("q?");

        Assert.Equal(2, inner.Calls.Count);
        Assert.Equal(20, inner.Calls[1].Options!.MaxOutputTokens);
        Assert.Equal("<think>long reasoning that never ends</think>", inner.Calls[1].Messages[^2].Text);
        Assert.Contains("final answer", inner.Calls[1].LastUser, StringComparison.Ordinal);
        Assert.Equal("<think>long reasoning that never ends</think>\n42", response.Text);
        Assert.Equal(2 * Reply.InputTokens, response.Usage!.InputTokenCount);
        Assert.Equal(2 * Reply.OutputTokens, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task ClosedThinkingWithoutAnswer_AsksForTheAnswer()
    {
        var inner = new ScriptedChatClient(call => call.Index == 0 ? Reply.Text("<think>done</think>  ") : Reply.Text("7"));
        ChatResponse response = await Build(inner).GetResponseAsync("q?");
        Assert.Equal("<think>done</think>\n7", response.Text);
    }

    [Fact]
    public async Task PlainReplyAndToolCalls_PassThrough()
    {
        var plain = new ScriptedChatClient(_ => Reply.Text("no thinking here"));
        Assert.Equal("no thinking here", (await Build(plain).GetResponseAsync("q?")).Text);
        var tools = new ScriptedChatClient(_ => Reply.Search("x"));
        ChatResponse response = await Build(tools).GetResponseAsync("q?");
        Assert.Single(tools.Calls);
        Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>());
    }

    [Fact]
    public async Task CallerBudgetSmallerThanThinkingBudget_Wins()
    {
        var inner = new ScriptedChatClient(_ => Reply.Text("<think>a</think>b"));
        await Build(inner).GetResponseAsync("q?", new ChatOptions { MaxOutputTokens = 50 });
        Assert.Equal(50, inner.Calls[0].Options!.MaxOutputTokens);
    }

    [Fact]
    public async Task Streaming_ForceClosesThinkingThenStreamsTheAnswer()
    {
        var inner = new ScriptedChatClient(call => call.Index == 0 ? Reply.Text("<think>cut", ChatFinishReason.Length) : Reply.Text("42"));
        var text = new System.Text.StringBuilder();
        await foreach (ChatResponseUpdate update in Build(inner).GetStreamingResponseAsync("q?"))
        {
            text.Append(update.Text);
        }

        Assert.Equal("<think>cut</think>\n42", text.ToString());
        Assert.Equal(20, inner.Calls[1].Options!.MaxOutputTokens);
    }

    [Fact]
    public void BadOptions_Throw()
    {
        var inner = new ScriptedChatClient(_ => Reply.Text("x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatClientBuilder(inner).UseElasticReasoning(o => o.ThinkingTokens = 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ElasticReasoningChatClient(inner, new ElasticReasoningOptions { AnswerTokens = 0 }));
        Assert.Throws<ArgumentException>(() => new ElasticReasoningChatClient(inner, new ElasticReasoningOptions { ThinkCloseTag = "" }));
        Assert.Throws<ArgumentNullException>(() => ElasticReasoningChatClientBuilderExtensions.UseElasticReasoning(null!));
    }
}
