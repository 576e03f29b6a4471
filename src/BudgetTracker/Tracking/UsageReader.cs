using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Agents.Budget;

/// <summary>Reads token counts out of the usage shapes that reach the tracker.</summary>
internal static class UsageReader
{
    public static (long Input, long Output, long Cached) Read(object usage) => usage switch
    {
        UsageDetails details => Read(details),
        UsageContent content => content.Details is { } d
            ? Read(d)
            : throw new ArgumentException("UsageContent.Details is null; there is no usage to record.", nameof(usage)),
        ChatTokenUsage openAi => Checked(openAi.InputTokenCount, openAi.OutputTokenCount, openAi.InputTokenDetails?.CachedTokenCount ?? 0, "OpenAI.Chat.ChatTokenUsage"),
        _ => throw new ArgumentException(
            $"Usage of type '{usage.GetType().FullName}' is not supported; pass Microsoft.Extensions.AI.UsageDetails, Microsoft.Extensions.AI.UsageContent or OpenAI.Chat.ChatTokenUsage.",
            nameof(usage)),
    };

    public static (long Input, long Output, long Cached) Read(UsageDetails details) =>
        Checked(details.InputTokenCount ?? 0, details.OutputTokenCount ?? 0, details.CachedInputTokenCount ?? 0, "UsageDetails");

    private static (long, long, long) Checked(long input, long output, long cached, string shape)
    {
        if (input < 0 || output < 0 || cached < 0)
        {
            throw new ArgumentException($"Malformed {shape}: token counts must not be negative (input {input}, output {output}, cached input {cached}).");
        }

        if (cached > input)
        {
            throw new ArgumentException($"Malformed {shape}: cached input tokens ({cached}) exceed input tokens ({input}).");
        }

        return (input, output, cached);
    }
}
