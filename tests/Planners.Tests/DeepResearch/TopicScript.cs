using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Agents.Planners.Tests.DeepResearch;

/// <summary>
/// Plays the Context Builder with topics: a planning round writes "- [TODO] topic" items to index.md, each sub-researcher
/// searches once, then writes a note and findings (one line per topic plus a line every topic shares) into its folder;
/// a planning round with no open topic writes the stage-complete marker. The Report Writer only answers.
/// </summary>
internal sealed partial class TopicScript(string root, IReadOnlyList<string> topics)
{
    public const string SharedFinding = "- Capacity grew in every region (see shared.md)";

    /// <summary>Gets or sets what runs before a sub-researcher's first call (topic, token); may block or throw.</summary>
    public Func<string, CancellationToken, Task>? BeforeTopic { get; set; }

    /// <summary>Gets or sets what runs when a sub-researcher has written its findings (topic).</summary>
    public Action<string>? AfterTopic { get; set; }

    /// <summary>Gets or sets how many web searches a sub-researcher asks for in its first response. Default 1.</summary>
    public int SearchesPerTopic { get; set; } = 1;

    /// <summary>Gets the number of web searches a topic's sub-researcher asks for, per topic; <see cref="SearchesPerTopic"/> for the others.</summary>
    public Dictionary<string, int> Searches { get; } = [];

    /// <summary>Gets or sets the topic whose first response also calls the <c>pause</c> tool, with its searches.</summary>
    public string? PausedTopic { get; set; }

    /// <summary>Gets the user message of every sub-researcher's round, with its topic, in the order they started.</summary>
    public ConcurrentQueue<(string Topic, string User)> TopicRounds { get; } = new();

    /// <summary>Gets or sets the usage the model reports for a call (its options give the output cap).</summary>
    public Func<ChatOptions?, UsageDetails>? Usage { get; set; }

    public static string Finding(string topic) => $"- {topic} doubled since 2015 (see {topic}.md)";

    /// <summary>The user messages of <paramref name="topic"/>'s rounds, in order.</summary>
    public List<string> RoundsOf(string topic) => [.. TopicRounds.Where(r => r.Topic == topic).Select(r => r.User)];

    public async Task<ChatResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var response = await RespondCoreAsync(messages, options, cancellationToken).ConfigureAwait(false);
        response.Usage = Usage?.Invoke(options) ?? new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 };
        return response;
    }

    private async Task<ChatResponse> RespondCoreAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var user = messages.First(m => m.Role == ChatRole.User).Text;
        var step = messages.Count(m => m.Role == ChatRole.Tool);
        if (options?.Tools?.Any(t => t.Name == "search") != true)
        {
            return Text("Done.");
        }

        var topic = TopicLine().Match(user);
        if (topic.Success)
        {
            var title = topic.Groups[1].Value.Trim();
            var folder = FolderLine().Match(user).Groups[1].Value;
            switch (step)
            {
                case 0:
                    if (BeforeTopic is { } before)
                    {
                        await before(title, cancellationToken).ConfigureAwait(false);
                    }

                    TopicRounds.Enqueue((title, user));
                    var calls = Enumerable.Range(0, Searches.GetValueOrDefault(title, SearchesPerTopic)).Select(i => Call("search", new() { ["query"] = $"{title} {i}" }));
                    return Calls([.. calls, .. title == PausedTopic ? [Call("pause", [])] : Array.Empty<FunctionCallContent>()]);
                case 1:
                    return Calls(
                        Call("files_create_file", new() { ["path"] = $"{folder}/{title}.md", ["content"] = $"# {title}\n\n- {title} fact [1]\n", ["overwrite"] = true }),
                        Call("files_create_file", new() { ["path"] = $"{folder}/findings.md", ["content"] = $"# Findings\n{Finding(title)}\n{SharedFinding}\n", ["overwrite"] = true }));
                default:
                    AfterTopic?.Invoke(title);
                    return Text($"Topic {title} done.");
            }
        }

        if (step > 0)
        {
            return Text("Round done.");
        }

        var index = File.ReadAllText(Path.Combine(root, DeepResearchFiles.Index));
        if (!index.Contains("[TODO]", StringComparison.Ordinal) && !index.Contains("[COMPLETE]", StringComparison.Ordinal))
        {
            return Calls(Call("files_append_file", new() { ["path"] = DeepResearchFiles.Index, ["content"] = string.Join('\n', topics.Select(t => $"- [TODO] {t}")) }));
        }

        return Calls(Call("files_append_file", new() { ["path"] = DeepResearchFiles.KnowledgeBaseLog, ["content"] = "Self-check passed.\n" + DeepResearchOptions.StageCompleteMarker }));
    }

    private static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    private static ChatResponse Calls(params FunctionCallContent[] calls) => new(new ChatMessage(ChatRole.Assistant, [.. calls]));

    private static FunctionCallContent Call(string name, Dictionary<string, object?> arguments) => new(Guid.NewGuid().ToString("N"), name, arguments);

    [GeneratedRegex(@"^Your topic: (.+)$", RegexOptions.Multiline)]
    private static partial Regex TopicLine();

    [GeneratedRegex(@"^Your folder: (\S+)/", RegexOptions.Multiline)]
    private static partial Regex FolderLine();
}
