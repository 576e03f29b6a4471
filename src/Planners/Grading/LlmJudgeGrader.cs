namespace Agents.Planners.Grading;

/// <summary>
/// Grades with an LLM judge that compares the answer to the reference (semantic equivalence, not spelling).
/// An exact match after normalization is accepted without a model call. An unusable judge reply grades incorrect
/// with the reason, never an exception. The judge is asked for a JSON schema; a judge that refuses it is asked again
/// without it, and from then on never with it. With a tracker, the call's worst case is reserved first
/// (<see cref="BudgetTracker.ReserveModelCallAsync"/>, its output capped to what the budget allows) and its usage committed
/// after; a call that does not fit is not made and grades incorrect with the reason.
/// </summary>
public sealed class LlmJudgeGrader : IAnswerGrader
{
    /// <summary>The default system prompt; the reply must be JSON with a boolean <c>correct</c>.</summary>
    public const string DefaultSystemPrompt =
        """
        You check whether a candidate answer means the same as the reference answer for the question. Ignore spelling,
        formatting and extra detail that does not change the meaning; a vaguer or different entity is incorrect.
        Reply with ONLY: {"correct": true|false, "reason": "..."}
        """;

    /// <summary>The default user prompt. Placeholders: <c>{{question}}</c>, <c>{{answer}}</c>, <c>{{reference}}</c>.</summary>
    public const string DefaultUserPrompt = "Question: {{question}}\nReference answer: {{reference}}\nCandidate answer: {{answer}}";

    private readonly IChatClient _judge;
    private readonly BudgetTracker? _tracker;
    private readonly ChatOptions? _chatOptions;
    private readonly string _systemPrompt;
    private readonly string _userPrompt;
    private bool _schemaRefused;

    /// <summary>Creates the grader.</summary>
    /// <param name="judge">The judging model.</param>
    /// <param name="tracker">Where to record the judge's token usage; optional.</param>
    /// <param name="chatOptions">Chat options for the judge; optional.</param>
    /// <param name="systemPrompt">Replaces <see cref="DefaultSystemPrompt"/>; optional.</param>
    /// <param name="userPrompt">Replaces <see cref="DefaultUserPrompt"/>; must keep its placeholders.</param>
    /// <exception cref="ArgumentNullException"><paramref name="judge"/> is null.</exception>
    /// <exception cref="ArgumentException">A prompt is empty or misses a placeholder.</exception>
    public LlmJudgeGrader(IChatClient judge, BudgetTracker? tracker = null, ChatOptions? chatOptions = null, string? systemPrompt = null, string? userPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(judge);
        _judge = judge;
        _tracker = tracker;
        _chatOptions = chatOptions;
        _systemPrompt = systemPrompt ?? DefaultSystemPrompt;
        _userPrompt = userPrompt ?? DefaultUserPrompt;
        PromptTemplate.Validate(_systemPrompt, nameof(systemPrompt));
        PromptTemplate.Validate(_userPrompt, nameof(userPrompt), "question", "answer", "reference");
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="question"/> or <paramref name="reference"/> is null or white space.</exception>
    public async Task<AnswerGrade> GradeAsync(string question, string? answer, string reference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        if (AnswerNormalizer.IsNoAnswer(answer))
        {
            return new AnswerGrade(false, "No answer was given.");
        }

        if (AnswerNormalizer.AreEquivalent(answer, reference))
        {
            return new AnswerGrade(true, "Matches the reference after normalization.");
        }

        ChatMessage[] messages =
        [
            new(ChatRole.System, _systemPrompt),
            new(ChatRole.User, PromptTemplate.Render(_userPrompt, ("question", question), ("answer", answer), ("reference", reference))),
        ];
        ChatOptions options = _chatOptions?.Clone() ?? new ChatOptions();
        using BudgetModelReservation? hold = _tracker is null ? null : await _tracker.ReserveModelCallAsync(
            PromptTokenEstimator.Estimate(messages, options), options.MaxOutputTokens is > 0 ? options.MaxOutputTokens : null, options.ModelId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (hold is { Granted: false })
        {
            return new AnswerGrade(false, "The judge was not asked: " + hold.DeniedReason);
        }

        if (hold?.MaxOutputTokens is int allowed)
        {
            options.MaxOutputTokens = Math.Min(options.MaxOutputTokens ?? int.MaxValue, allowed);
        }

        (ChatResponse response, _) = await StructuredOutput.GetResponseAsync(
            _judge, messages, options, StructuredOutput.Grade, Volatile.Read(ref _schemaRefused), _ => Volatile.Write(ref _schemaRefused, true), cancellationToken).ConfigureAwait(false);
        if (hold is not null)
        {
            if (response.Usage is { } usage && !Runs.ModelInvoker.IsWellFormed(usage))
            {
                hold.Release();
            }
            else
            {
                hold.Commit(response.Usage, response.ModelId ?? options.ModelId);
            }
        }

        if (!JsonReply.TryParseObject(response.Text, out JsonDocument? document, out string error))
        {
            return new AnswerGrade(false, "The judge's reply was unusable: " + error);
        }

        using (document)
        {
            string? correct = JsonReply.GetString(document.RootElement, "correct");
            string reason = JsonReply.GetString(document.RootElement, "reason") ?? string.Empty;
            return correct?.Trim().ToUpperInvariant() switch
            {
                "TRUE" or "YES" => new AnswerGrade(true, reason),
                "FALSE" or "NO" => new AnswerGrade(false, reason),
                _ => new AnswerGrade(false, "The judge's reply had no boolean \"correct\"."),
            };
        }
    }
}
