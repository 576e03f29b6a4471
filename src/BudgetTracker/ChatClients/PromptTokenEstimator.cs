using System.Text.Json;

namespace Agents.Budget;

/// <summary>
/// A conservative count of a request's prompt tokens, for when no tokenizer is plugged in
/// (<see cref="BudgetChatClientOptions.PromptTokenCounter"/>).
/// </summary>
/// <remarks>
/// The estimate is the UTF-8 byte length of all text the request sends (instructions, message texts and reasoning,
/// tool calls as their name and JSON arguments, tool results as text, the tools' names, descriptions and JSON schemas,
/// the length of binary data), plus <see cref="TokensPerMessage"/> per message and <see cref="TokensPerRequest"/> once.
/// Byte-level BPE tokenizers (GPT, Llama 3, Qwen, Phi) and SentencePiece with byte fallback never make more tokens than
/// bytes, so for text the estimate is an upper bound, typically three to four times the real count. It reserves too
/// much, never too little: plug in the model's tokenizer for tight budgets.
/// </remarks>
public static class PromptTokenEstimator
{
    /// <summary>The tokens counted for each message's role and separators.</summary>
    public const int TokensPerMessage = 8;

    /// <summary>The tokens counted once per request (the chat template's start and the reply's start).</summary>
    public const int TokensPerRequest = 16;

    /// <summary>Estimates the prompt tokens of a request from above.</summary>
    /// <param name="messages">The messages sent.</param>
    /// <param name="options">The request's options (instructions and tools are counted).</param>
    /// <returns>The estimate.</returns>
    public static long Estimate(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        long tokens = TokensPerRequest + Bytes(options?.Instructions);
        foreach (ChatMessage message in messages)
        {
            tokens += TokensPerMessage + Bytes(message.AuthorName);
            foreach (AIContent content in message.Contents)
            {
                tokens += content switch
                {
                    TextContent t => Bytes(t.Text),
                    TextReasoningContent r => Bytes(r.Text),
                    FunctionCallContent call => Bytes(call.CallId) + Bytes(call.Name) + Json(call.Arguments),
                    FunctionResultContent result => Bytes(result.CallId) + Bytes(result.Result as string ?? (result.Result is null ? null : JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions))),
                    DataContent data => data.Data.Length,
                    UriContent uri => Bytes(uri.Uri.ToString()),
                    _ => Bytes(content.ToString()),
                };
            }
        }

        if (options?.Tools is { } tools)
        {
            foreach (AITool tool in tools)
            {
                tokens += TokensPerMessage + Bytes(tool.Name) + Bytes(tool.Description);
                if (tool is AIFunctionDeclaration function)
                {
                    tokens += Bytes(function.JsonSchema.GetRawText());
                }
            }
        }

        if (options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema })
        {
            tokens += Bytes(schema.GetRawText());
        }

        return tokens;
    }

    private static long Bytes(string? text) => string.IsNullOrEmpty(text) ? 0 : Encoding.UTF8.GetByteCount(text);

    private static long Json(IDictionary<string, object?>? arguments) =>
        arguments is null ? 0 : Bytes(JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions));
}
