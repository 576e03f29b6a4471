using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Agents.LocalEngine.Chat;
using Agents.LocalEngine.Constraints;
using Agents.LocalEngine.Generation;
using Microsoft.Extensions.AI;

namespace Agents.LocalEngine;

/// <summary>
/// <see cref="IChatClient"/> over a <see cref="LocalOnnxEngine"/>: formats the conversation with the model's chat format
/// (tools included), streams text, turns <c>&lt;tool_call&gt;</c> replies into <see cref="FunctionCallContent"/>, and
/// reports exact token usage. Additional option properties read: <c>repetition_penalty</c>, <c>min_tokens</c>, <c>do_sample</c>,
/// and <c>n</c> / <c>results_per_prompt</c> (several replies from one prefill, see <see cref="LocalChatOptionsExtensions"/>).
/// </summary>
/// <remarks>
/// <para>
/// Constrained output: <see cref="ChatResponseFormat.Json"/> makes the reply one JSON object, and
/// <see cref="ChatResponseFormat.ForJsonSchema(JsonElement, string?, string?)"/> one JSON value valid against the schema
/// (subset: type, properties, required, additionalProperties, items, enum, const, anyOf; annotations such as description
/// and format are ignored; any other keyword throws <see cref="NotSupportedException"/> naming it). Tokens that would break
/// the JSON are masked before sampling, and the text is kept finishable within <see cref="ChatOptions.MaxOutputTokens"/>:
/// near the end only tokens that still let it close in time are allowed. Output is compact or whitespace-separated JSON;
/// object keys are written without escapes. When the budget is smaller than the shortest valid value the reply is cut off
/// mid-JSON and the finish reason is <see cref="ChatFinishReason.Length"/>.
/// </para>
/// <para>
/// <see cref="ChatToolMode.RequireAny"/> and <see cref="ChatToolMode.RequireSpecific(string)"/> force exactly one
/// <c>&lt;tool_call&gt;{"name": ..., "arguments": {...}}&lt;/tool_call&gt;</c> whose name is one of the tools (or the named one)
/// and whose arguments follow that tool's parameter schema; the reply then carries a <see cref="FunctionCallContent"/> and
/// finish reason <see cref="ChatFinishReason.ToolCalls"/>. A required tool call takes precedence over a response format.
/// </para>
/// </remarks>
public sealed class LocalOnnxChatClient : IChatClient
{
    /// <summary>
    /// The service key under which <see cref="GetService"/> answers the model's context length for <see cref="int"/>:
    /// agent loops read it to keep every request inside the window.
    /// </summary>
    public const string ContextWindowTokensKey = "agents:context-window-tokens";

    /// <summary>
    /// The service key under which <see cref="GetService"/> answers a <see cref="Func{T, TResult}"/> of string to int that counts
    /// tokens with the model's own tokenizer.
    /// </summary>
    public const string TokenCounterKey = "agents:token-counter";

    private readonly LocalOnnxEngine _engine;
    private readonly TimeProvider _timeProvider;
    private readonly bool _ownsEngine;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates the client.</summary>
    /// <param name="engine">The engine to generate with.</param>
    /// <param name="timeProvider">Clock for response timestamps; null for the system clock.</param>
    /// <param name="ownsEngine">Whether disposing the client disposes the engine.</param>
    public LocalOnnxChatClient(LocalOnnxEngine engine, TimeProvider? timeProvider = null, bool ownsEngine = false)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _ownsEngine = ownsEngine;
        _metadata = new ChatClientMetadata("local-onnx", null, engine.ModelId);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// With <see cref="LocalChatOptionsExtensions.WithResultsPerPrompt"/> (n &gt; 1) the prompt is prefilled once and the n
    /// replies are sampled as one batch: the response has n assistant messages, each with <c>choice_index</c> and
    /// <c>finish_reason</c> in its additional properties; usage counts the prompt once and the tokens of all replies; the
    /// response's finish reason is tool calls when any reply calls a tool, else length when any was cut off, else stop.
    /// </remarks>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (prompt, settings, tools) = Prepare(messages, options);
        var n = options.GetResultsPerPrompt();
        var results = await _engine.GenerateManyAsync(prompt, n, settings, cancellationToken).ConfigureAwait(false);
        var responseId = NewId("resp");
        var replies = new List<ChatMessage>(n);
        var reasons = new List<ChatFinishReason>(n);
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var contents = tools.Count > 0 ? ToolCallParser.Parse(result.Text, NewId("call")) : [new TextContent(result.Text)];
            var reason = FinishReason(result, contents);
            reasons.Add(reason);
            var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = n == 1 ? responseId : $"{responseId}_{i.ToString(CultureInfo.InvariantCulture)}" };
            if (n > 1)
            {
                message.AdditionalProperties = new() { ["choice_index"] = i, ["finish_reason"] = reason.Value };
            }

            replies.Add(message);
        }

        var first = results[0];
        var usage = Usage(first);
        usage.OutputTokenCount = results.Sum(r => r.TokenIds.Count);
        usage.TotalTokenCount = first.PromptTokens + usage.OutputTokenCount;
        return new ChatResponse(replies)
        {
            ResponseId = responseId,
            ModelId = _engine.ModelId,
            CreatedAt = _timeProvider.GetUtcNow(),
            FinishReason = reasons.Contains(ChatFinishReason.ToolCalls) ? ChatFinishReason.ToolCalls
                : reasons.Contains(ChatFinishReason.Length) ? ChatFinishReason.Length : reasons[0],
            Usage = usage,
            AdditionalProperties = Timing(first),
        };
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">More than one reply was asked for (<see cref="LocalChatOptionsExtensions.WithResultsPerPrompt"/>).</exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (options.GetResultsPerPrompt() > 1)
        {
            throw new NotSupportedException("Streaming gives one reply; ask for several replies (n > 1) with GetResponseAsync.");
        }

        var (prompt, settings, tools) = Prepare(messages, options);
        var responseId = NewId("resp");
        var created = _timeProvider.GetUtcNow();
        var text = new StringBuilder();
        var emitted = 0;
        ChatResponseUpdate Update(IList<AIContent> contents) => new(ChatRole.Assistant, contents)
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = _engine.ModelId,
            CreatedAt = created,
        };

        await foreach (var update in _engine.GenerateStreamingAsync(prompt, settings, cancellationToken).ConfigureAwait(false))
        {
            if (update.Result is { } result)
            {
                var full = result.Text;
                var finalContents = new List<AIContent>();
                if (tools.Count > 0)
                {
                    var parsed = ToolCallParser.Parse(full[emitted..], NewId("call"));
                    finalContents.AddRange(parsed.Where(c => c is not TextContent t || t.Text.Length > 0));
                }
                else if (full.Length > emitted)
                {
                    finalContents.Add(new TextContent(full[emitted..]));
                }

                if (finalContents.Count > 0)
                {
                    yield return Update(finalContents);
                }

                var last = Update([new UsageContent(Usage(result))]);
                last.FinishReason = FinishReason(result, finalContents);
                last.AdditionalProperties = Timing(result);
                yield return last;
                yield break;
            }

            text.Append(update.Text);
            var safe = tools.Count > 0 ? ToolCallStreamGate.SafeLength(text.ToString()) : text.Length;
            if (safe > emitted)
            {
                var delta = text.ToString(emitted, safe - emitted);
                emitted = safe;
                yield return Update([new TextContent(delta)]);
            }
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            // Agent loops ask a chat client for its model's window and token counter under these keys
            // (Agents.Planners.Context.ContextWindow.FromChatClient), with no reference to this engine.
            if (ContextWindowTokensKey.Equals(serviceKey) && serviceType == typeof(int))
            {
                return _engine.ContextLength;
            }

            if (TokenCounterKey.Equals(serviceKey) && serviceType == typeof(Func<string, int>))
            {
                return new Func<string, int>(text => _engine.Tokenize(text ?? string.Empty, addBos: false).Count);
            }

            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(LocalOnnxEngine))
        {
            return _engine;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsEngine)
        {
            _engine.Dispose();
        }
    }

    private (IReadOnlyList<int> Prompt, LocalGenerationSettings Settings, IReadOnlyList<AIFunctionDeclaration> Tools) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one message is required.", nameof(messages));
        }

        IReadOnlyList<AIFunctionDeclaration> tools = options?.ToolMode is NoneChatToolMode || options?.Tools is null
            ? []
            : [.. options.Tools.OfType<AIFunctionDeclaration>()];
        var settings = new LocalGenerationSettings();
        if (options is not null)
        {
            if (options.MaxOutputTokens is { } max)
            {
                settings.MaxTokens = max;
            }

            settings.Temperature = options.Temperature;
            settings.TopP = options.TopP;
            settings.TopK = options.TopK;
            settings.Seed = options.Seed;
            foreach (var stop in options.StopSequences ?? [])
            {
                settings.StopSequences.Add(stop);
            }

            if (options.AdditionalProperties is { } extra)
            {
                if (extra.TryGetValue("repetition_penalty", out var rp) && rp is not null)
                {
                    settings.RepetitionPenalty = Convert.ToSingle(Unwrap(rp), CultureInfo.InvariantCulture);
                }

                if (extra.TryGetValue("min_tokens", out var min) && min is not null)
                {
                    settings.MinTokens = Convert.ToInt32(Unwrap(min), CultureInfo.InvariantCulture);
                }

                if (extra.TryGetValue("do_sample", out var sample) && sample is not null)
                {
                    settings.DoSample = Convert.ToBoolean(Unwrap(sample), CultureInfo.InvariantCulture);
                }
            }
        }

        if (options?.ToolMode is RequiredChatToolMode required && tools.Count > 0)
        {
            var chosen = required.RequiredFunctionName is { } name ? [.. tools.Where(t => t.Name == name)] : tools;
            if (chosen.Count == 0)
            {
                throw new ArgumentException(
                    $"ToolMode requires the function '{required.RequiredFunctionName}', which is not among the tools ({string.Join(", ", tools.Select(t => t.Name))}).", nameof(options));
            }

            settings.Constraint = JsonConstraintSpec.ToolCall(chosen);
        }
        else if (options?.ToolMode is RequiredChatToolMode)
        {
            throw new ArgumentException("ToolMode requires a tool call but no tools were given.", nameof(options));
        }
        else if (options?.ResponseFormat is ChatResponseFormatJson json)
        {
            settings.Constraint = JsonConstraintSpec.Json(json.Schema);
        }

        settings.Validate();
        return (_engine.TokenizeChat(list, tools), settings, tools);
    }

    private static object Unwrap(object value) => value is JsonElement e
        ? e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => e.GetDouble(),
            _ => e.ToString(),
        }
        : value;

    private static ChatFinishReason FinishReason(LocalGenerationResult result, IEnumerable<AIContent> contents) =>
        contents.Any(c => c is FunctionCallContent) ? ChatFinishReason.ToolCalls
        : result.FinishReason == LocalFinishReason.Stop ? ChatFinishReason.Stop
        : ChatFinishReason.Length;

    private static UsageDetails Usage(LocalGenerationResult result) => new()
    {
        InputTokenCount = result.PromptTokens,
        OutputTokenCount = result.TokenIds.Count,
        TotalTokenCount = result.PromptTokens + result.TokenIds.Count,
        CachedInputTokenCount = result.CachedPromptTokens,
    };

    private static AdditionalPropertiesDictionary Timing(LocalGenerationResult result) => new()
    {
        ["prefill_ms"] = result.PrefillTime.TotalMilliseconds,
        ["decode_ms_per_token"] = result.DecodeSteps == 0 ? 0 : result.DecodeTime.TotalMilliseconds / result.DecodeSteps,
    };

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";
}
