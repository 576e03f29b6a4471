using Agents.LocalEngine.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.LocalEngine.Tests.Hosting;

[Collection(ModelCollection.Name)]
public sealed class LocalOnnxServiceCollectionExtensionsTests(ModelFixture models)
{
    [Fact]
    public async Task Kernel_chat_completion_service_answers_with_usage_metadata()
    {
        var (kernel, chat, history) = LocalKernelChat.Create(models.Qwen.Directory);
        var reply = await chat.GetChatMessageContentAsync(history, new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 5 } }, kernel);
        Assert.Equal(AuthorRole.Assistant, reply.Role);
        var usage = Assert.IsType<UsageDetails>(reply.Metadata!["Usage"]);
        Assert.True(usage.InputTokenCount > 0);
        Assert.InRange(usage.OutputTokenCount!.Value, 1, 5);
    }

    [Fact]
    public async Task Chat_client_registration_supports_keys_and_shares_one_engine()
    {
        var services = new ServiceCollection();
        services.AddLocalOnnxChatClient(models.Qwen.Directory, serviceId: "local");
        services.AddLocalOnnxChatCompletion(models.Qwen.Directory, serviceId: "local");
        using var sp = services.BuildServiceProvider();
        var client = sp.GetRequiredKeyedService<IChatClient>("local");
        Assert.Same(sp.GetRequiredKeyedService<LocalOnnxEngine>("local"), client.GetService<LocalOnnxEngine>());
        Assert.NotNull(sp.GetRequiredKeyedService<IChatCompletionService>("local"));
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { MaxOutputTokens = 3 });
        Assert.InRange(response.Usage!.OutputTokenCount!.Value, 1, 3);

        var kernelBuilder = Kernel.CreateBuilder();
        kernelBuilder.AddLocalOnnxChatClient(models.GenAi.Directory);
        Assert.NotNull(kernelBuilder.Build().GetRequiredService<IChatClient>());
    }

    [Fact]
    public void Bad_configuration_fails_at_registration_naming_the_problem()
    {
        var services = new ServiceCollection();
        var missing = Assert.Throws<ArgumentException>(() => services.AddLocalOnnxChatClient(Path.Combine(models.Root, "nope")));
        Assert.Equal("modelDirectory", missing.ParamName);
        Assert.Contains(Assert.Throws<OptionsValidationException>(() =>
            services.AddLocalOnnxChatCompletion(models.Qwen.Directory, o => o.IntraOpNumThreads = -1)).Failures, f => f.Contains("IntraOpNumThreads", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => Kernel.CreateBuilder().AddLocalOnnxChatClient(" "));
        Assert.Empty(services);
    }
}
