using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Agents.LocalEngine.Hosting;

/// <summary>Registers the local ONNX engine as <see cref="IChatClient"/> or as a Semantic Kernel <see cref="IChatCompletionService"/>.</summary>
public static class LocalOnnxServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="LocalOnnxEngine"/> (loaded on first use) and an <see cref="IChatClient"/> over it,
    /// keyed by <paramref name="serviceId"/> when given.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="modelDirectory">The model folder; it must exist.</param>
    /// <param name="configure">Adjusts the engine options; they are validated here.</param>
    /// <param name="serviceId">An optional service key.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentException">The folder does not exist.</exception>
    /// <exception cref="OptionsValidationException">An option is invalid.</exception>
    public static IServiceCollection AddLocalOnnxChatClient(this IServiceCollection services, string modelDirectory, Action<LocalOnnxEngineOptions>? configure = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = Configure(modelDirectory, configure);
        AddEngine(services, modelDirectory, options, serviceId);
        if (serviceId is null)
        {
            services.AddSingleton<IChatClient>(sp => new LocalOnnxChatClient(sp.GetRequiredService<LocalOnnxEngine>(), options.TimeProvider));
        }
        else
        {
            services.AddKeyedSingleton<IChatClient>(serviceId, (sp, key) => new LocalOnnxChatClient(sp.GetRequiredKeyedService<LocalOnnxEngine>(key), options.TimeProvider));
        }

        return services;
    }

    /// <summary>
    /// Registers a singleton <see cref="LocalOnnxEngine"/> and an <see cref="IChatCompletionService"/> over it that invokes
    /// kernel functions the model calls (Semantic Kernel's function-invocation loop, including its auto-invocation filters).
    /// Settings with <c>results_per_prompt</c> (or <c>n</c>) &gt; 1 in their extension data (OpenAI settings' ResultsPerPrompt)
    /// return that many replies, sampled from one prefill of the prompt.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="modelDirectory">The model folder; it must exist.</param>
    /// <param name="configure">Adjusts the engine options; they are validated here.</param>
    /// <param name="serviceId">An optional service key.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLocalOnnxChatCompletion(this IServiceCollection services, string modelDirectory, Action<LocalOnnxEngineOptions>? configure = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = Configure(modelDirectory, configure);
        AddEngine(services, modelDirectory, options, serviceId);
        IChatCompletionService Create(IServiceProvider sp, LocalOnnxEngine engine)
        {
            var client = new LocalOnnxChatClient(engine, options.TimeProvider);
            var inner = new ChatClientBuilder(client)
                .UseKernelFunctionInvocation(sp.GetService<ILoggerFactory>())
                .Build(sp)
                .AsChatCompletionService(sp);
            return new ResultsPerPromptChatCompletionService(inner, client);
        }

        if (serviceId is null)
        {
            services.AddSingleton(sp => Create(sp, sp.GetRequiredService<LocalOnnxEngine>()));
        }
        else
        {
            services.AddKeyedSingleton(serviceId, (sp, key) => Create(sp, sp.GetRequiredKeyedService<LocalOnnxEngine>(key)));
        }

        return services;
    }

    /// <summary>Registers the engine and chat client on a kernel builder; see <see cref="AddLocalOnnxChatClient(IServiceCollection, string, Action{LocalOnnxEngineOptions}?, string?)"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="configure">Adjusts the engine options.</param>
    /// <param name="serviceId">An optional service key.</param>
    /// <returns>The builder.</returns>
    public static IKernelBuilder AddLocalOnnxChatClient(this IKernelBuilder builder, string modelDirectory, Action<LocalOnnxEngineOptions>? configure = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLocalOnnxChatClient(modelDirectory, configure, serviceId);
        return builder;
    }

    /// <summary>Registers the engine and chat completion service on a kernel builder; see <see cref="AddLocalOnnxChatCompletion(IServiceCollection, string, Action{LocalOnnxEngineOptions}?, string?)"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="configure">Adjusts the engine options.</param>
    /// <param name="serviceId">An optional service key.</param>
    /// <returns>The builder.</returns>
    public static IKernelBuilder AddLocalOnnxChatCompletion(this IKernelBuilder builder, string modelDirectory, Action<LocalOnnxEngineOptions>? configure = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddLocalOnnxChatCompletion(modelDirectory, configure, serviceId);
        return builder;
    }

    private static LocalOnnxEngineOptions Configure(string modelDirectory, Action<LocalOnnxEngineOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        if (!Directory.Exists(modelDirectory))
        {
            throw new ArgumentException($"The model directory '{modelDirectory}' does not exist.", nameof(modelDirectory));
        }

        var options = new LocalOnnxEngineOptions();
        configure?.Invoke(options);
        options.Validate();
        return options;
    }

    private static void AddEngine(IServiceCollection services, string modelDirectory, LocalOnnxEngineOptions options, string? serviceId)
    {
        LocalOnnxEngine Create(IServiceProvider sp) => new(modelDirectory, options, sp.GetService<ILoggerFactory>());
        // One engine per key: registering both the chat client and the chat completion service shares it (first options win).
        if (serviceId is null)
        {
            services.TryAddSingleton(Create);
        }
        else
        {
            services.TryAddKeyedSingleton(serviceId, (sp, _) => Create(sp));
        }
    }
}
