using Agents.LocalEngine;
using Agents.Plugins.Archiving;
using Agents.Samples.Common.Models;
using Agents.Samples.Common.Searching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agents.Samples.Common.Composition;

/// <summary>
/// What an agent of the console samples needs, composed once per process with Agents.Hosting from the command-line
/// settings: the model (<c>AddResearchModel</c>, watched for connection failures) and the research toolset
/// (<c>AddResearchTools</c>; Chromium starts on the first page read). <see cref="CreateWebTools"/> makes fresh
/// <c>web_search</c>, <c>browser_browse</c> and <c>browser_find_in_page</c> tools for each agent.
/// </summary>
public sealed class ResearchStack : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ResearchStack(ServiceProvider services, ModelSettings model, IChatClient chatClient, ResearchToolset toolset, ModelFailureMonitor monitor)
    {
        _services = services;
        Monitor = monitor;
        Model = model;
        ChatClient = chatClient;
        Toolset = toolset;
    }

    /// <summary>The model.</summary>
    public IChatClient ChatClient { get; }

    /// <summary>Connection-level failures of the model (unreachable, rejected key).</summary>
    public ModelFailureMonitor Monitor { get; }

    /// <summary>The model settings.</summary>
    public ModelSettings Model { get; }

    /// <summary>The research tools.</summary>
    public ResearchToolset Toolset { get; }

    /// <summary>
    /// Builds the stack for a console sample: a failure is written to <paramref name="error"/> as one "error: ..." line
    /// instead of thrown; <c>purpose</c> names what is being set up in that line ("the agent", "the agents").
    /// </summary>
    /// <returns>The stack, or null and whether it was the local model folder that could not be loaded.</returns>
    public static async Task<(ResearchStack? Stack, bool ModelFailed)> TryCreateAsync(
        ModelSettings model,
        SearchSettings search,
        ILoggerFactory loggerFactory,
        TextWriter error,
        string purpose,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return (await CreateAsync(model, search, loggerFactory, TimeProvider.System, cancellationToken).ConfigureAwait(false), false);
        }
        catch (LocalModelLoadException ex)
        {
            await error.WriteLineAsync($"error: the local model in '{model.ModelDirectory}' cannot be loaded: {ex.Message}").ConfigureAwait(false);
            return (null, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: could not set up {purpose}: {ex.Message}").ConfigureAwait(false);
            return (null, false);
        }
    }

    /// <summary>Builds the stack.</summary>
    /// <exception cref="LocalModelLoadException">The local model folder cannot be loaded (the message names the file).</exception>
    public static async Task<ResearchStack> CreateAsync(
        ModelSettings model,
        SearchSettings search,
        ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        cancellationToken.ThrowIfCancellationRequested();
        if (!model.IsLocal && (model.Endpoint is null || model.ModelId is null))
        {
            throw new ArgumentException("The settings name no endpoint and model id.", nameof(model));
        }

        var services = new ServiceCollection()
            .AddSingleton(loggerFactory)
            .AddSingleton(timeProvider ?? TimeProvider.System)
            .AddResearchModel(model.ToOptions(), "--model/--endpoint")
            .AddResearchTools(search.ToOptions(), "--search/--index/--browser")
            .BuildServiceProvider();
        try
        {
            var monitor = new ModelFailureMonitor();
            var chat = new ChatClientBuilder(services.GetRequiredService<IChatClient>()).UseFailureMonitoring(monitor, model).Build();
            return new ResearchStack(services, model, chat, services.GetRequiredService<ResearchToolset>(), monitor);
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Fresh web tools for one agent; pages read by <c>browse</c> go to <paramref name="archive"/> when given.</summary>
    public IReadOnlyList<AIFunction> CreateWebTools(IPageArchiveSink? archive = null) => Toolset.CreateTools(archive);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
