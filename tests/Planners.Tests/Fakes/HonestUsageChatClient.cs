namespace Agents.Planners.Tests.Fakes;

/// <summary>
/// Wraps a scripted model and replaces each response's usage with what a real server within the request would report: at
/// most the estimated prompt tokens, and a random number of output tokens that honours <see cref="ChatOptions.MaxOutputTokens"/>.
/// </summary>
public sealed class HonestUsageChatClient(IChatClient inner, int seed, int maxOutputTokens) : DelegatingChatClient(inner)
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    public int Calls { get; private set; }

    public int? SmallestOutputCap { get; private set; }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        ChatResponse response = await base.GetResponseAsync(list, options, cancellationToken);
        long estimate = PromptTokenEstimator.Estimate(list, options);
        lock (_gate)
        {
            Calls++;
            int output = _random.Next(1, maxOutputTokens + 1);
            if (options?.MaxOutputTokens is int cap)
            {
                output = Math.Min(output, cap);
                SmallestOutputCap = Math.Min(SmallestOutputCap ?? int.MaxValue, cap);
            }

            long input = (long)(estimate * (0.5 + (_random.NextDouble() / 2)));
            response.Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
        }

        return response;
    }
}
