namespace Agents.Planners.Prompts;

/// <summary>
/// The JSON schemas the planner, verifier and judge replies are requested in (<see cref="ChatResponseFormat.ForJsonSchema(JsonElement, string?, string?)"/>),
/// and the request that falls back to plain text once when a server refuses the schema. The free-text parsers stay
/// in use for every reply, so a server that ignores the schema still works.
/// </summary>
internal static class StructuredOutput
{
    public static readonly ChatResponseFormatJson Verification = Schema(
        "verification_report",
        "The verifier's report on a proposed answer.",
        """
        {"type":"object","properties":{
          "verification":{"type":"array","items":{"type":"object","properties":{
            "constraint":{"type":"string"},
            "status":{"type":"string","enum":["satisfied","contradicted","unverifiable"]},
            "evidence":{"type":"string"}},"required":["constraint","status","evidence"]}},
          "decision":{"type":"string","enum":["SUCCESS","CONTINUE","PIVOT"]},
          "justification":{"type":"string"},
          "trajectory_summary":{"type":"string"},
          "details":{"type":"object","properties":{
            "failure_analysis":{"type":"string"},"useful_findings":{"type":"string"},
            "recommendations":{"type":"string"},"backtrack_to":{"type":"string"}}}},
         "required":["verification","decision","justification","trajectory_summary"]}
        """);

    public static readonly ChatResponseFormatJson Judge = Schema(
        "judge_choice",
        "The judge's choice among candidate answers.",
        """
        {"type":"object","properties":{
          "choice":{"type":"integer","minimum":1},
          "confidence":{"type":"number","minimum":0,"maximum":1},
          "reason":{"type":"string"}},"required":["choice","confidence","reason"]}
        """);

    public static readonly ChatResponseFormatJson Score = Schema(
        "answer_score",
        "The verifier's score of a candidate answer.",
        """
        {"type":"object","properties":{
          "score":{"type":"number","minimum":0,"maximum":1},
          "reason":{"type":"string"}},"required":["score","reason"]}
        """);

    public static readonly ChatResponseFormatJson Decomposition = Schema(
        "decomposition",
        "The sub-questions of a question, in the order to answer them.",
        """
        {"type":"object","properties":{
          "subquestions":{"type":"array","items":{"type":"object","properties":{
            "question":{"type":"string"},
            "complexity":{"type":"integer","minimum":1,"maximum":10}},"required":["question","complexity"]}}},
         "required":["subquestions"]}
        """);

    public static readonly ChatResponseFormatJson Grade = Schema(
        "grade",
        "Whether a candidate answer means the same as the reference.",
        """
        {"type":"object","properties":{
          "correct":{"type":"boolean"},
          "reason":{"type":"string"}},"required":["correct","reason"]}
        """);

    /// <summary>
    /// Asks with <paramref name="format"/> unless the caller's options already set a format or
    /// <paramref name="refused"/> says this server refused one before; when the request with the schema fails
    /// (an exception other than cancellation), <paramref name="onRefused"/> is told and the request is made once
    /// more without it.
    /// </summary>
    public static async Task<(ChatResponse Response, ChatOptions Options)> GetResponseAsync(
        IChatClient client,
        IEnumerable<ChatMessage> messages,
        ChatOptions options,
        ChatResponseFormat format,
        bool refused,
        Action<Exception> onRefused,
        CancellationToken cancellationToken)
    {
        if (refused || options.ResponseFormat is not null)
        {
            return (await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false), options);
        }

        ChatOptions structured = options.Clone();
        structured.ResponseFormat = format;
        try
        {
            return (await client.GetResponseAsync(messages, structured, cancellationToken).ConfigureAwait(false), structured);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            onRefused(ex);
            return (await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false), options);
        }
    }

    private static ChatResponseFormatJson Schema(string name, string description, string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return ChatResponseFormat.ForJsonSchema(document.RootElement.Clone(), name, description);
    }
}
