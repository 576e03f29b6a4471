namespace Agents.Planners.Scaling;

/// <summary>Options of <see cref="ElasticReasoningChatClient"/>.</summary>
public sealed class ElasticReasoningOptions
{
    /// <summary>Gets or sets the output-token budget of the thinking phase. Default 2,048; at least 1.</summary>
    public int ThinkingTokens { get; set; } = 2_048;

    /// <summary>Gets or sets the output-token budget of the answer phase. Default 512; at least 1.</summary>
    public int AnswerTokens { get; set; } = 512;

    /// <summary>Gets or sets the tag that opens thinking. Default <c>&lt;think&gt;</c>.</summary>
    public string ThinkOpenTag { get; set; } = "<think>";

    /// <summary>Gets or sets the tag that closes thinking. Default <c>&lt;/think&gt;</c>.</summary>
    public string ThinkCloseTag { get; set; } = "</think>";

    /// <summary>Gets or sets the message that asks for the answer once thinking was cut off.</summary>
    public string AnswerPrompt { get; set; } = "Your thinking time is over. Using the reasoning above, give the final answer now, without further thinking.";

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A budget is not positive.</exception>
    /// <exception cref="ArgumentException">A tag or the prompt is empty.</exception>
    public void Validate()
    {
        if (ThinkingTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ThinkingTokens), ThinkingTokens, "ElasticReasoningOptions.ThinkingTokens must be at least 1.");
        }

        if (AnswerTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(AnswerTokens), AnswerTokens, "ElasticReasoningOptions.AnswerTokens must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(ThinkOpenTag) || string.IsNullOrWhiteSpace(ThinkCloseTag))
        {
            throw new ArgumentException("ElasticReasoningOptions.ThinkOpenTag and ThinkCloseTag must not be empty.", nameof(ThinkCloseTag));
        }

        if (string.IsNullOrWhiteSpace(AnswerPrompt))
        {
            throw new ArgumentException("ElasticReasoningOptions.AnswerPrompt must not be empty.", nameof(AnswerPrompt));
        }
    }
}
