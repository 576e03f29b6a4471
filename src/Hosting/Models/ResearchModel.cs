namespace Agents.Hosting;

/// <summary>A configured model: the chat client and the model id it reports.</summary>
/// <param name="Client">The chat client (with OpenTelemetry; an endpoint's HTTP calls go through the resilience handler).</param>
/// <param name="ModelId">The model id.</param>
public sealed record ResearchModel(IChatClient Client, string ModelId);
