using System.Reflection;

namespace Agents.Budget;

/// <summary>Reads token counts out of the usage shapes that reach the tracker.</summary>
/// <remarks>
/// OpenAI's <c>OpenAI.Chat.ChatTokenUsage</c> (what Semantic Kernel's OpenAI connector puts in <c>Metadata["Usage"]</c>)
/// is read by reflection, by its type name and its public <c>InputTokenCount</c>, <c>OutputTokenCount</c> and
/// <c>InputTokenDetails.CachedTokenCount</c> properties, so that the core needs no reference to the OpenAI SDK.
/// </remarks>
internal static class UsageReader
{
    private const string OpenAIUsageType = "OpenAI.Chat.ChatTokenUsage";

    public static (long Input, long Output, long Cached) Read(object usage) => usage switch
    {
        UsageDetails details => Read(details),
        UsageContent content => content.Details is { } d
            ? Read(d)
            : throw new ArgumentException("UsageContent.Details is null; there is no usage to record.", nameof(usage)),
        _ when usage.GetType().FullName == OpenAIUsageType => ReadOpenAI(usage),
        _ => throw new ArgumentException(
            $"Usage of type '{usage.GetType().FullName}' is not supported; pass Microsoft.Extensions.AI.UsageDetails, Microsoft.Extensions.AI.UsageContent or {OpenAIUsageType}.",
            nameof(usage)),
    };

    public static (long Input, long Output, long Cached) Read(UsageDetails details) =>
        Checked(details.InputTokenCount ?? 0, details.OutputTokenCount ?? 0, details.CachedInputTokenCount ?? 0, "UsageDetails");

    private static (long, long, long) ReadOpenAI(object usage)
    {
        object? details = Property(usage, "InputTokenDetails");
        return Checked(Count(usage, "InputTokenCount"), Count(usage, "OutputTokenCount"), details is null ? 0 : Count(details, "CachedTokenCount"), OpenAIUsageType);
    }

    private static object? Property(object target, string name) =>
        target.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target);

    private static long Count(object target, string name) => Property(target, name) switch
    {
        int i => i,
        long l => l,
        _ => throw new ArgumentException($"Malformed {OpenAIUsageType}: {target.GetType().Name}.{name} is missing or not a number."),
    };

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
