using System.Runtime.CompilerServices;

namespace Agents.AgentFramework;

/// <summary>
/// Counts usage only, for the one tool-less answer a paused run gives after the user declined more budget: there the
/// tracker is exhausted, and <see cref="BudgetChatClient"/> (with <see cref="ExhaustionBehavior.Terminate"/>) would refuse the request.
/// </summary>
internal sealed class UsageCountingChatClient(IChatClient inner, BudgetTracker tracker) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatResponse response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (response.Usage is { } usage)
        {
            tracker.RecordUsage(usage, response.ModelId);
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (UsageContent usage in update.Contents.OfType<UsageContent>())
            {
                tracker.RecordUsage(usage.Details, update.ModelId);
            }

            yield return update;
        }
    }
}
