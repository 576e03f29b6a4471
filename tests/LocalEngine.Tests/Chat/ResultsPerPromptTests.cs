using Agents.LocalEngine.Hosting;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.LocalEngine.Tests.Chat;

/// <summary>n &gt; 1 from outside the engine: IChatClient options and Semantic Kernel settings reach the shared-prefill path.</summary>
[Collection(ModelCollection.Name)]
public sealed class ResultsPerPromptTests(ModelFixture models)
{
    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "Hello there")];

    [Fact]
    public async Task Chat_options_n_gives_the_replies_of_one_shared_prefill_batch()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        var options = new ChatOptions { MaxOutputTokens = 10, Temperature = 1f, Seed = 11 }.WithResultsPerPrompt(4);
        Assert.Equal(4, options.GetResultsPerPrompt());

        var response = await client.GetResponseAsync(Question, options);

        var expected = await engine.GenerateManyAsync(engine.TokenizeChat(Question), 4, new LocalGenerationSettings { MaxTokens = 10, Temperature = 1f, Seed = 11 });
        Assert.Equal(expected.Select(r => r.Text), response.Messages.Select(m => m.Text));
        Assert.True(response.Messages.Select(m => m.Text).Distinct().Count() > 1);
        Assert.Equal(Enumerable.Range(0, 4), response.Messages.Select(m => (int)m.AdditionalProperties!["choice_index"]!));
        Assert.Equal(4, response.Messages.Select(m => m.MessageId).Distinct().Count());
        Assert.All(response.Messages, m => Assert.Equal(ChatRole.Assistant, m.Role));
        Assert.Equal(expected.Sum(r => r.TokenIds.Count), response.Usage!.OutputTokenCount);
        Assert.Equal(expected[0].PromptTokens, response.Usage.InputTokenCount);
    }

    [Fact]
    public async Task Semantic_kernel_results_per_prompt_returns_that_many_messages()
    {
        var (kernel, chat, history) = LocalKernelChat.Create(models.Qwen.Directory);
        var settings = new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 6, ["temperature"] = 1.0, ["seed"] = 3, ["results_per_prompt"] = 3 },
        };
        var replies = await chat.GetChatMessageContentsAsync(history, settings, kernel);
        Assert.Equal(3, replies.Count);
        Assert.All(replies, r => Assert.Equal(AuthorRole.Assistant, r.Role));
        Assert.True(replies.Select(r => r.Content).Distinct().Count() > 1);
        Assert.Single(history);
    }

    [Fact]
    public async Task Bad_counts_and_streaming_several_replies_are_refused_clearly()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        using IChatClient client = new LocalOnnxChatClient(engine);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithResultsPerPrompt(0));
        var bad = new ChatOptions { AdditionalProperties = new() { ["n"] = 1.5 } };
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetResponseAsync(Question, bad));
        Assert.Contains("\"n\"", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync(Question, new ChatOptions().WithResultsPerPrompt(2)))
            {
            }
        });
    }
}
