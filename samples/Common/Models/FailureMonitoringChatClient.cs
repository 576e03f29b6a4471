namespace Agents.Samples.Common.Models;

/// <summary>Reports connection-level failures of the inner client to a <see cref="ModelFailureMonitor"/> and rethrows them.</summary>
public sealed class FailureMonitoringChatClient(IChatClient innerClient, ModelFailureMonitor monitor, ModelSettings settings) : DelegatingChatClient(innerClient)
{
    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && monitor.Observe(ex, settings))
        {
            throw;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<ChatResponseUpdate> e;
        try
        {
            e = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (monitor.Observe(ex, settings))
        {
            throw;
        }

        await using (e.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await e.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && monitor.Observe(ex, settings))
                {
                    throw;
                }

                if (!more)
                {
                    break;
                }

                yield return e.Current;
            }
        }
    }
}
