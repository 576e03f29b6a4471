using Agents.LocalEngine.Hosting;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.LocalEngine.Tests;

/// <summary>The Semantic Kernel arrange the engine's kernel tests share.</summary>
internal static class LocalKernelChat
{
    /// <summary>A kernel with the local chat completion on <paramref name="modelDirectory"/>, that service, and a history asking "Hello there".</summary>
    public static (Kernel Kernel, IChatCompletionService Chat, ChatHistory History) Create(string modelDirectory)
    {
        var builder = Kernel.CreateBuilder();
        builder.AddLocalOnnxChatCompletion(modelDirectory);
        var kernel = builder.Build();
        var history = new ChatHistory();
        history.AddUserMessage("Hello there");
        return (kernel, kernel.GetRequiredService<IChatCompletionService>(), history);
    }
}
