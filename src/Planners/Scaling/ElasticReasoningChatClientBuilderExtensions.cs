namespace Agents.Planners.Scaling;

/// <summary>Adds <see cref="ElasticReasoningChatClient"/> to a chat client pipeline.</summary>
public static class ElasticReasoningChatClientBuilderExtensions
{
    /// <summary>Gives thinking and answering separate output-token budgets (Elastic Reasoning).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException">The configured options are invalid.</exception>
    public static ChatClientBuilder UseElasticReasoning(this ChatClientBuilder builder, Action<ElasticReasoningOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ElasticReasoningOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Use(inner => new ElasticReasoningChatClient(inner, options));
    }
}
