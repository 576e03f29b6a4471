using Microsoft.Extensions.AI;

namespace Agents.Samples.Shared;

/// <summary>A configured model: the client and the id it reports.</summary>
/// <param name="Client">The chat client.</param>
/// <param name="ModelId">The model id.</param>
internal sealed record ChatModel(IChatClient Client, string ModelId);
