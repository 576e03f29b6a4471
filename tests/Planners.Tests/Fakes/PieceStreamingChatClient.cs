using System.Runtime.CompilerServices;

namespace Agents.Planners.Tests.Fakes;

/// <summary>
/// Streams each scripted reply's text in pieces of <c>pieceLength</c> characters, then its tool calls and usage in a
/// last update, as real servers do; counts the calls of each API, and can throw after a number of pieces.
/// </summary>
public sealed class PieceStreamingChatClient(Func<ChatCall, ChatResponse> script, int pieceLength = 3, int failAfterPieces = -1) : IChatClient
{
    private int _calls;

    public int StreamingCalls { get; private set; }

    public int WholeCalls { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        WholeCalls++;
        return Task.FromResult(script(new ChatCall(_calls++, [.. messages], options)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StreamingCalls++;
        ChatResponse response = script(new ChatCall(_calls++, [.. messages], options));
        string text = response.Text;
        int pieces = 0;
        for (int i = 0; i < text.Length; i += pieceLength)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (pieces++ == failAfterPieces)
            {
                throw new HttpRequestException("connection reset mid-stream");
            }

            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, text.Substring(i, Math.Min(pieceLength, text.Length - i))) { MessageId = "m" };
        }

        var last = new List<AIContent>(response.Messages.SelectMany(m => m.Contents).Where(c => c is not TextContent));
        if (response.Usage is { } usage)
        {
            last.Add(new UsageContent(usage));
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, last) { MessageId = "m", FinishReason = response.FinishReason };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
