using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Agents.Planners.DeepResearch;
using Microsoft.Extensions.AI;

namespace Agents.Planners.Tests.DeepResearch;

/// <summary>
/// Plays the Context Builder with topics for the child-budget tests: a planning round writes "- [TODO] topic" items,
/// each sub-researcher asks for its number of searches (and a <c>pause</c> call when it is the paused topic), then writes
/// its findings and ends; a planning round with no open topic writes the stage-complete marker. The writer only answers.
/// </summary>
internal sealed partial class ChildBudgetScript(string root, IReadOnlyList<string> topics)
{
    /// <summary>Gets how many searches each topic's sub-researcher asks for at once (1 when not set).</summary>
    public Dictionary<string, int> Searches { get; } = [];

    /// <summary>Gets or sets the topic whose first response also calls the <c>pause</c> tool.</summary>
    public string? PausedTopic { get; set; }

    /// <summary>Gets or sets what runs when a topic's sub-researcher ends its round.</summary>
    public Action<string>? Finished { get; set; }

    /// <summary>Gets the user message of every topic round, with its topic, in the order they started.</summary>
    public ConcurrentQueue<(string Topic, string User)> TopicRounds { get; } = new();

    public static string Finding(string topic) => $"- {topic} doubled since 2015";

    public List<string> RoundsOf(string topic) => [.. TopicRounds.Where(r => r.Topic == topic).Select(r => r.User)];

    public Task<ChatResponse> RespondAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var response = Respond(messages, options);
        response.Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 };
        return Task.FromResult(response);
    }

    private ChatResponse Respond(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
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
                    TopicRounds.Enqueue((title, user));
                    var calls = Enumerable.Range(0, Searches.GetValueOrDefault(title, 1)).Select(i => Call("search", new() { ["query"] = $"{title} {i}" })).ToList();
                    if (title == PausedTopic)
                    {
                        calls.Add(Call("pause", []));
                    }

                    return Calls([.. calls]);
                case 1:
                    return Calls(Call("files_create_file", new() { ["path"] = $"{folder}/findings.md", ["content"] = $"# Findings\n{Finding(title)}\n", ["overwrite"] = true }));
                default:
                    Finished?.Invoke(title);
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

        return index.Contains("[TODO]", StringComparison.Ordinal)
            ? Text("Topics remain.")
            : Calls(Call("files_append_file", new() { ["path"] = DeepResearchFiles.KnowledgeBaseLog, ["content"] = DeepResearchOptions.StageCompleteMarker }));
    }

    private static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    private static ChatResponse Calls(params FunctionCallContent[] calls) => new(new ChatMessage(ChatRole.Assistant, [.. calls]));

    private static FunctionCallContent Call(string name, Dictionary<string, object?> arguments) => new(Guid.NewGuid().ToString("N"), name, arguments);

    [GeneratedRegex(@"^Your topic: (.+)$", RegexOptions.Multiline)]
    private static partial Regex TopicLine();

    [GeneratedRegex(@"^Your folder: (\S+)/", RegexOptions.Multiline)]
    private static partial Regex FolderLine();
}
