using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Agents.PageSummary.Benchmarks;

/// <summary>
/// The agent's model, scripted so that it can only answer from text it was shown: it knows each question's reference
/// answer, and gives it only once the answer appears (as whole words) in a tool result in its messages. Until then it
/// searches once with the question, then browses one URL per turn: first pages of entities the question names (a
/// capitalised word of the question in the address), then the links of the pages it read, breadth first, then the other
/// search hits. With no URL left, or asked for a final answer without tools, it answers only what it has seen (else
/// nothing). Usage: a quarter of the characters of the prompt and of the reply.
/// </summary>
internal sealed partial class ScriptedResearcher(IReadOnlyDictionary<string, string> answers) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> list = [.. messages];
        string question = list.Where(m => m.Role == ChatRole.User).Select(m => m.Text).FirstOrDefault() ?? string.Empty;
        string? answer = answers.FirstOrDefault(a => question.Contains(a.Key, StringComparison.Ordinal)).Value;
        List<string> results = [.. list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString() ?? string.Empty)];
        string? seen = answer?.Split('|').FirstOrDefault(alias => results.Any(text => Mentions(text, alias)));

        ChatMessage reply;
        if (seen is not null)
        {
            reply = new ChatMessage(ChatRole.Assistant, $"<answer>{seen}</answer>");
        }
        else if (options?.Tools is not { Count: > 0 } tools)
        {
            reply = new ChatMessage(ChatRole.Assistant, string.Empty);
        }
        else if (results.Count == 0)
        {
            reply = Call(list, "web_search", new() { ["queries"] = new[] { Question(question) } });
        }
        else
        {
            var visited = list.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
                .Where(c => c.Name == "browser_browse" && c.Arguments is not null && c.Arguments.TryGetValue("urls", out object? urls) && urls is string[])
                .SelectMany(c => (string[])c.Arguments!["urls"]!)
                .ToHashSet(StringComparer.Ordinal);
            string? next = Candidates(results, question).FirstOrDefault(u => !visited.Contains(u));
            reply = next is null
                ? new ChatMessage(ChatRole.Assistant, string.Empty)
                : Call(list, "browser_browse", new() { ["urls"] = new[] { next }, ["goal"] = Question(question) });
        }

        long input = list.Sum(m => (long)m.Text.Length + m.Contents.OfType<FunctionResultContent>().Sum(r => (long)(r.Result?.ToString()?.Length ?? 0))) / 4;
        long output = Math.Max(1, (reply.Text.Length + reply.Contents.OfType<FunctionCallContent>().Sum(c => 40)) / 4);
        return Task.FromResult(new ChatResponse(reply)
        {
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted researcher does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    /// <summary>Whether <paramref name="text"/> holds <paramref name="phrase"/> as whole words (case-insensitive).</summary>
    internal static bool Mentions(string text, string phrase) =>
        Regex.IsMatch(text, @"(?<![\p{L}\p{N}])" + Regex.Escape(phrase.Trim()) + @"(?![\p{L}\p{N}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The URLs to read, best first: named in the question, then links of pages read (breadth first), then search hits.</summary>
    private static IEnumerable<string> Candidates(List<string> results, string question)
    {
        string[] named = [.. question.Split([' ', ',', '.', '?', ';', ':'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length >= 4 && char.IsUpper(w[0]) && w is not ("Question" or "Clues" or "What" or "Which"))
            .Select(w => w.ToLowerInvariant())];
        List<string> pages = [.. results.Where(r => r.Contains("<web_page", StringComparison.Ordinal)).SelectMany(Urls)];
        List<string> hits = [.. results.Where(r => !r.Contains("<web_page", StringComparison.Ordinal)).SelectMany(Urls)];
        return hits.Concat(pages).Where(u => named.Any(n => Slug(u).Split('-').Contains(n))).Concat(pages).Concat(hits);
    }

    // The site's home page (the navigation link of every page) holds no facts: a researcher skips it.
    private static IEnumerable<string> Urls(string text) => Url().Matches(text).Select(m => m.Value.TrimEnd('.', ',')).Where(u => new Uri(u).AbsolutePath.Length > 1);

    private static string Slug(string url) => url.TrimEnd('/').Split('/')[^1].Split('.')[0].ToLowerInvariant();

    private static ChatMessage Call(List<ChatMessage> list, string tool, Dictionary<string, object?> arguments) =>
        new(ChatRole.Assistant, [new FunctionCallContent("call" + list.Count, tool, arguments)]);

    /// <summary>The question line of the user message (the prompt template may add context around it).</summary>
    private static string Question(string userMessage) =>
        userMessage.Split('\n').Select(l => l.Trim()).Where(l => l.EndsWith('?')).DefaultIfEmpty(userMessage.Trim()).First()
            .Replace("Question:", string.Empty, StringComparison.Ordinal).Trim();

    [GeneratedRegex(@"https?://[^\s""'<>\)\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex Url();
}
