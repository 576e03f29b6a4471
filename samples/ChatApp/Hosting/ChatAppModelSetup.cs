using Agents.Samples.ChatApp.Agents;
using Agents.Samples.ChatApp.OpenAICompat;
using Agents.Samples.Shared;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Registers the <see cref="IChatClient"/> named by <c>ChatApp:Model</c>.</summary>
internal static class ChatAppModelSetup
{
    public const string Section = ChatAppOptions.SectionName + ":" + ModelOptions.SectionName;
    public const string ResearchSection = ChatAppOptions.SectionName + ":" + ResearchSettings.SectionName;

    /// <summary>Reads <c>ChatApp:Model</c> and <c>ChatApp:Research</c> and registers the model and the planner runner; throws naming the option when one is wrong.</summary>
    public static void AddConfiguredModel(WebApplicationBuilder builder)
    {
        var options = new ModelOptions();
        builder.Configuration.GetSection(Section).Bind(options);
        if (ChatModelFactory.Create(options, Section) is { } model)
        {
            // Registered through a factory so that the container disposes the client (and a local engine it owns) on shutdown.
            builder.Services.TryAddSingleton<IChatClient>(_ => model.Client);
            builder.Services.TryAddSingleton(new CompletionsModel(model.Client, model.ModelId));
        }

        // With a model (configured here or registered by the host) the chat page runs the real planners over the research tools.
        if (!builder.Services.Any(d => d.ServiceType == typeof(IChatClient)))
        {
            return;
        }

        var research = new ResearchSettings();
        builder.Configuration.GetSection(ResearchSection).Bind(research);
        ResearchToolset.Validate(research, ResearchSection);
        builder.Services.TryAddSingleton(sp => ResearchToolset.Create(
            research, ResearchSection, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddSingleton<IAgentRunner, PlannerAgentRunner>();
    }
}
