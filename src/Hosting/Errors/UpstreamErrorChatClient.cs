using System.Runtime.CompilerServices;

namespace Agents.Hosting;

/// <summary>
/// Keeps the upstream model's raw errors (paths, endpoints, internal details) out of what clients see: every
/// failure is logged with an id and rethrown as an <see cref="UpstreamModelException"/> that carries only that id.
/// Cancellation passes through unchanged.
/// </summary>
public sealed partial class UpstreamErrorChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The upstream model.</param>
    /// <param name="loggerFactory">Creates the logger the details are written to.</param>
    public UpstreamErrorChatClient(IChatClient innerClient, ILoggerFactory? loggerFactory = null)
        : base(innerClient)
    {
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<UpstreamErrorChatClient>();
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not UpstreamModelException)
        {
            throw Sanitize(ex);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not UpstreamModelException)
        {
            throw Sanitize(ex);
        }

        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not UpstreamModelException)
                {
                    throw Sanitize(ex);
                }

                yield return updates.Current;
            }
        }
    }

    private UpstreamModelException Sanitize(Exception ex)
    {
        var id = ErrorIds.New();
        LogUpstreamFailed(_logger, ex, id);
        return new UpstreamModelException(id);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The upstream model failed (error id {ErrorId})")]
    private static partial void LogUpstreamFailed(ILogger logger, Exception exception, string errorId);
}
