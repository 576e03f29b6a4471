using System.Collections.Concurrent;

namespace Agents.Planners.Context;

/// <summary>
/// An <see cref="IChatReducer"/> that makes a conversation fit a <see cref="ContextWindow"/> (its prompt share,
/// <see cref="ContextWindow.PromptTokens"/>). It never changes the messages it is given; it returns a reduced copy.
/// </summary>
/// <remarks>
/// Steps, each only while the conversation is still too long:
/// <list type="number">
/// <item>Older tool results (all but the newest tool message) become a short note: their size, where the full
/// text is archived when the agent has a workspace (the FS-Researcher way: files hold what the context cannot),
/// and how they began.</item>
/// <item>The oldest turns after the system prompt and the first user message (the question) are dropped, whole
/// turns at a time so every tool result keeps its call; a note says how many messages went.</item>
/// <item>The newest tool results are condensed too.</item>
/// <item>The longest remaining texts are cut in the middle (their start and end stay), marked as cut.</item>
/// </list>
/// A conversation that already fits is returned as it is.
/// </remarks>
public sealed class ContextWindowChatReducer : IChatReducer
{
    private const int ExcerptChars = 240;
    private const int ToolOverheadTokens = 16;
    private readonly ContextWindow _window;
    private readonly Func<string, string, CancellationToken, Task<string?>>? _archive;
    private readonly ConcurrentDictionary<string, string?> _handles = new(StringComparer.Ordinal);

    /// <summary>Creates the reducer.</summary>
    /// <param name="window">The window to fit.</param>
    /// <exception cref="ArgumentNullException"><paramref name="window"/> is null.</exception>
    public ContextWindowChatReducer(ContextWindow window)
        : this(window, archive: null)
    {
    }

    /// <summary>Creates the reducer with an archive for condensed tool results.</summary>
    /// <param name="window">The window to fit.</param>
    /// <param name="archive">Stores a tool result's full text (call id, text) and returns a handle the agent can read it back by, or null.</param>
    internal ContextWindowChatReducer(ContextWindow window, Func<string, string, CancellationToken, Task<string?>>? archive)
    {
        ArgumentNullException.ThrowIfNull(window);
        _window = window;
        _archive = archive;
    }

    /// <summary>Gets the window this reducer fits.</summary>
    public ContextWindow Window => _window;

    /// <inheritdoc />
    public Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
        => ReduceAsync(messages, tools: null, cancellationToken);

    /// <summary>Counts the prompt tokens of a request: its messages and the declarations of the tools offered with it.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="tools">The tools offered, or null.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is null.</exception>
    public int CountPromptTokens(IEnumerable<ChatMessage> messages, IEnumerable<AITool>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Sum(CountMessage) + CountTools(tools);
    }

    /// <summary>Reduces a conversation so that it and the tools offered with it fit the window's prompt share.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="tools">The tools offered with the request (their declarations count), or null.</param>
    /// <param name="cancellationToken">Cancels archiving.</param>
    /// <returns>The messages to send.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is null.</exception>
    public async Task<IEnumerable<ChatMessage>> ReduceAsync(IEnumerable<ChatMessage> messages, IEnumerable<AITool>? tools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> original = [.. messages];
        int budget = _window.PromptTokens - CountTools(tools);
        List<int> counts = [.. original.Select(CountMessage)];
        if (counts.Sum() <= budget)
        {
            return original;
        }

        List<ChatMessage> work = [.. original.Select(Clone)];
        int newestTool = work.FindLastIndex(m => m.Role == ChatRole.Tool);

        // 1. Older tool results become notes.
        if (await CondenseResultsAsync(work, counts, budget, i => i != newestTool, cancellationToken).ConfigureAwait(false))
        {
            return work;
        }

        // 2. Drop the oldest whole turns after the system prompt and the question.
        DropOldestTurns(work, counts, budget);
        if (counts.Sum() <= budget)
        {
            return work;
        }

        // 3. The newest tool results too.
        if (await CondenseResultsAsync(work, counts, budget, _ => true, cancellationToken).ConfigureAwait(false))
        {
            return work;
        }

        // 4. Cut the longest texts.
        CutLongest(work, counts, budget);
        return work;
    }

    private async Task<bool> CondenseResultsAsync(
        List<ChatMessage> work, List<int> counts, int budget, Func<int, bool> include, CancellationToken cancellationToken)
    {
        for (int i = 0; i < work.Count; i++)
        {
            if (!include(i) || !work[i].Contents.OfType<FunctionResultContent>().Any())
            {
                continue;
            }

            IList<AIContent> contents = work[i].Contents;
            for (int j = 0; j < contents.Count; j++)
            {
                if (contents[j] is not FunctionResultContent result)
                {
                    continue;
                }

                string text = ResultText(result.Result);
                string note = await NoteAsync(result.CallId, text, cancellationToken).ConfigureAwait(false);
                if (note.Length < text.Length)
                {
                    contents[j] = new FunctionResultContent(result.CallId, note);
                }
            }

            counts[i] = CountMessage(work[i]);
            if (counts.Sum() <= budget)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<string> NoteAsync(string callId, string text, CancellationToken cancellationToken)
    {
        if (text.Length <= ExcerptChars * 2)
        {
            return text;
        }

        string? handle = null;
        if (_archive is not null)
        {
            if (!_handles.TryGetValue(callId, out handle))
            {
                handle = await _archive(callId, text, cancellationToken).ConfigureAwait(false);
                _handles[callId] = handle;
            }
        }

        string where = handle is null ? string.Empty : $" The full text is in the file '{handle}'; read it with the file tools if you need it again.";
        string excerpt = text[..ExcerptChars].ReplaceLineEndings(" ");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[Earlier tool result of {text.Length} characters, condensed to fit the context window.{where} It began: \"{excerpt}…\"]");
    }

    private void DropOldestTurns(List<ChatMessage> work, List<int> counts, int budget)
    {
        int prefix = 0;
        while (prefix < work.Count && work[prefix].Role == ChatRole.System)
        {
            prefix++;
        }

        if (prefix < work.Count && work[prefix].Role == ChatRole.User)
        {
            prefix++;
        }

        int dropped = 0;
        var note = new ChatMessage(ChatRole.User, string.Empty);
        int noteTokens = CountMessage(new ChatMessage(ChatRole.User, DroppedText(99_999)));
        while (counts.Sum() + noteTokens > budget)
        {
            // The first turn after the prefix ends where the next non-tool message after it begins.
            int end = prefix + 1;
            while (end < work.Count && work[end].Role == ChatRole.Tool)
            {
                end++;
            }

            if (end >= work.Count)
            {
                break; // Keep the newest turn.
            }

            dropped += end - prefix;
            work.RemoveRange(prefix, end - prefix);
            counts.RemoveRange(prefix, end - prefix);
        }

        if (dropped > 0)
        {
            note.Contents = [new TextContent(DroppedText(dropped))];
            work.Insert(prefix, note);
            counts.Insert(prefix, CountMessage(note));
        }
    }

    private static string DroppedText(int dropped) => string.Create(
        CultureInfo.InvariantCulture,
        $"[{dropped} earlier messages of this conversation were removed to fit the model's context window. Files and notes written so far are unchanged.]");

    private void CutLongest(List<ChatMessage> work, List<int> counts, int budget)
    {
        const string marker = " […cut to fit the context window…] ";
        for (int round = 0; round < 64 && counts.Sum() > budget; round++)
        {
            int bestMessage = -1, bestContent = -1, bestTokens = 0;
            for (int i = 0; i < work.Count; i++)
            {
                for (int j = 0; j < work[i].Contents.Count; j++)
                {
                    int tokens = CountContent(work[i].Contents[j]);
                    if (tokens > bestTokens && Text(work[i].Contents[j]) is not null)
                    {
                        (bestMessage, bestContent, bestTokens) = (i, j, tokens);
                    }
                }
            }

            if (bestMessage < 0)
            {
                return;
            }

            AIContent content = work[bestMessage].Contents[bestContent];
            string text = Text(content)!;
            int over = counts.Sum() - budget;
            int keepTokens = Math.Max(0, bestTokens - over - _window.Count(marker) - 1);
            int keepChars = (int)Math.Min(text.Length * 9L / 10, (long)text.Length * keepTokens / Math.Max(1, bestTokens));
            keepChars = Math.Max(0, keepChars);
            int head = keepChars * 2 / 3;
            string cut = text[..head] + marker + text[(text.Length - (keepChars - head))..];
            if (cut.Length >= text.Length)
            {
                cut = string.Empty;
            }

            work[bestMessage].Contents[bestContent] = content is FunctionResultContent result
                ? new FunctionResultContent(result.CallId, cut)
                : new TextContent(cut);
            counts[bestMessage] = CountMessage(work[bestMessage]);
        }
    }

    private static string? Text(AIContent content) => content switch
    {
        TextContent text when text.Text.Length > 0 => text.Text,
        FunctionResultContent result when ResultText(result.Result).Length > 0 => ResultText(result.Result),
        _ => null,
    };

    private int CountMessage(ChatMessage message) =>
        ContextWindow.MessageOverheadTokens + message.Contents.Sum(CountContent);

    private int CountContent(AIContent content) => content switch
    {
        TextContent text => _window.Count(text.Text),
        TextReasoningContent reasoning => _window.Count(reasoning.Text),
        FunctionCallContent call => _window.Count(call.Name) + _window.Count(call.Arguments is null ? null : JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions)) + 4,
        FunctionResultContent result => _window.Count(ResultText(result.Result)) + 4,
        UsageContent => 0,
        _ => 16,
    };

    private int CountTools(IEnumerable<AITool>? tools)
    {
        if (tools is null)
        {
            return 0;
        }

        int total = 0;
        foreach (AITool tool in tools)
        {
            total += ToolOverheadTokens + _window.Count(tool.Name) + _window.Count(tool.Description);
            if (tool is AIFunctionDeclaration function)
            {
                total += _window.Count(function.JsonSchema.GetRawText());
            }
        }

        return total;
    }

    internal static string ResultText(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? string.Empty,
        JsonElement element => element.GetRawText(),
        AIContent content => content is TextContent text ? text.Text : JsonSerializer.Serialize(content, AIJsonUtilities.DefaultOptions),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static ChatMessage Clone(ChatMessage message) => new(message.Role, [.. message.Contents])
    {
        AuthorName = message.AuthorName,
        MessageId = message.MessageId,
        AdditionalProperties = message.AdditionalProperties,
    };
}
