using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Agents.PageSummary.Benchmarks;

/// <summary>
/// The page summariser's model, scripted: it reads the text between the untrusted-text tags and quotes the sentences
/// (and infobox lines) that share a word of four letters or more with the goal, each with its paragraph number, at most
/// <c>maxPassages</c>, then a one-line summary (the page's first sentence). Usage: a quarter of the characters in and out.
/// </summary>
internal sealed class ScriptedReader(int maxPassages = 6) : IChatClient
{
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase) { "what", "which", "that", "this", "with", "from", "where", "whose", "when", "have", "there", "their", "into", "name", "named", "does", "page", "goal" };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        string user = list.Last(m => m.Role == ChatRole.User).Text;
        string goal = user.Split('\n')[0].Replace("Goal:", string.Empty, StringComparison.Ordinal);
        int start = user.IndexOf("<untrusted_text>", StringComparison.Ordinal) + "<untrusted_text>".Length;
        int end = user.LastIndexOf("</untrusted_text>", StringComparison.Ordinal);
        string text = end > start ? user[start..end] : string.Empty;
        string[] terms = [.. goal.Split([' ', ',', '.', '?', ';', ':', '"', '\''], StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t.Length >= 4 && !Ignored.Contains(t)).Distinct(StringComparer.OrdinalIgnoreCase)];

        var reply = new StringBuilder();
        string? first = null;
        int passages = 0;
        string[] paragraphs = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int p = 0; p < paragraphs.Length && passages < maxPassages; p++)
        {
            foreach (string sentence in paragraphs[p].Split(". ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                first ??= sentence;
                if (passages < maxPassages && terms.Any(t => sentence.Contains(t, StringComparison.OrdinalIgnoreCase)))
                {
                    reply.Append(CultureInfo.InvariantCulture, $"\"{sentence.TrimEnd('.')}\" (paragraph {p + 1}): relevant to the goal.\n");
                    passages++;
                }
            }
        }

        if (passages == 0)
        {
            reply.Append("Nothing relevant.\n");
        }

        reply.Append("Summary: ").Append(first ?? "an empty page").Append('.');
        long input = list.Sum(m => (long)m.Text.Length) / 4;
        long output = Math.Max(1, reply.Length / 4);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply.ToString()))
        {
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted reader does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
