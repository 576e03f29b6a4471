using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agents.LocalEngine;

/// <summary>
/// Typed access to the <see cref="ChatOptions.AdditionalProperties"/> the local engine reads beyond the standard options.
/// </summary>
public static class LocalChatOptionsExtensions
{
    /// <summary>The additional-property key for the number of replies (OpenAI's <c>n</c>).</summary>
    public const string ResultsPerPromptKey = "n";

    /// <summary>The key Semantic Kernel's OpenAI settings use (<c>ResultsPerPrompt</c>), also read.</summary>
    public const string SemanticKernelResultsPerPromptKey = "results_per_prompt";

    /// <summary>
    /// Asks for <paramref name="count"/> replies to the same prompt. The local engine prefills the prompt once and samples
    /// the replies as one batch; the response then has one assistant message per reply.
    /// </summary>
    /// <param name="options">The options to change.</param>
    /// <param name="count">How many replies (&gt;= 1).</param>
    /// <returns>The same options.</returns>
    public static ChatOptions WithResultsPerPrompt(this ChatOptions options, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[ResultsPerPromptKey] = count;
        return options;
    }

    /// <summary>Gets the number of replies asked for (<c>n</c> or <c>results_per_prompt</c>); 1 when neither is set.</summary>
    /// <param name="options">The options, or null.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a whole number &gt;= 1.</exception>
    public static int GetResultsPerPrompt(this ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } extra)
        {
            return 1;
        }

        foreach (var key in new[] { ResultsPerPromptKey, SemanticKernelResultsPerPromptKey })
        {
            if (extra.TryGetValue(key, out var value) && value is not null)
            {
                var number = value is JsonElement e ? (e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN) : Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!(number >= 1) || number != Math.Floor(number) || number > int.MaxValue)
                {
                    throw new ArgumentOutOfRangeException(nameof(options), value, $"ChatOptions.AdditionalProperties[\"{key}\"] must be a whole number >= 1.");
                }

                return (int)number;
            }
        }

        return 1;
    }
}
