namespace Agents.Samples.ChatApp.Hosting;

/// <summary>Registers the model named by <c>ChatApp:Model</c> and the research tools of <c>ChatApp:Research</c>.</summary>
internal static class ChatAppModelSetup
{
    public const string Section = ChatAppOptions.SectionName + ":" + ResearchModelOptions.SectionName;
    public const string ResearchSection = ChatAppOptions.SectionName + ":" + ResearchToolsOptions.SectionName;

    /// <summary>Reads <c>ChatApp:Model</c> and <c>ChatApp:Research</c> and registers the model and the planner runner; throws naming the option when one is wrong.</summary>
    public static void AddConfiguredModel(WebApplicationBuilder builder)
    {
        // A local model is loaded now, so that a broken folder stops the start naming the file (before the research settings are read).
        var options = builder.Configuration.GetSection(Section).Get<ResearchModelOptions>() ?? new ResearchModelOptions();
        if (string.Equals(options.Provider?.Trim(), "onnx", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.TryAddSingleton(ResearchModelFactory.Create(options, Section)!);
        }

        builder.Services.AddResearchModel(options, Section);
        if (builder.Services.Any(d => d.ServiceType == typeof(ResearchModel)))
        {
            builder.Services.TryAddSingleton(sp =>
            {
                var model = sp.GetRequiredService<ResearchModel>();
                return new CompletionsModel(model.Client, model.ModelId);
            });
        }

        // With a model (configured here or registered by the host) the chat page runs the real planners over the research tools.
        if (!builder.Services.Any(d => d.ServiceType == typeof(IChatClient)))
        {
            return;
        }

        builder.Services.AddResearchTools(builder.Configuration.GetSection(ResearchSection));
        builder.Services.TryAddSingleton<IAgentRunner, PlannerAgentRunner>();
    }
}
