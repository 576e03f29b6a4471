namespace Agents.Planners.Scaling;

/// <summary>Prompt texts of the LLM verifier used by <see cref="BestOfNStrategy"/> and <see cref="BestOfMajorityStrategy"/>.</summary>
public sealed class VerifierPrompts
{
    /// <summary>Gets or sets the verifier's system prompt; the reply must be JSON with a <c>score</c> from 0 to 1.</summary>
    public string System { get; set; } =
        """
        You grade a candidate answer to a question, using the evidence the agent gathered. Score how likely the answer is
        correct and fully responsive, from 0 (certainly wrong) to 1 (certainly right). Unsupported claims lower the score.
        Reply with ONLY: {"score": <0 to 1>, "reason": "..."}
        """;

    /// <summary>Gets or sets the verifier's user message. Placeholders: <c>{{question}}</c>, <c>{{answer}}</c>, <c>{{evidence}}</c>.</summary>
    public string User { get; set; } = "Question: {{question}}\nCandidate answer: {{answer}}\nEvidence gathered:\n{{evidence}}";

    /// <summary>Checks the templates.</summary>
    /// <exception cref="ArgumentException">A template is empty or misses a placeholder.</exception>
    public void Validate()
    {
        PromptTemplate.Validate(System, "VerifierPrompts.System");
        PromptTemplate.Validate(User, "VerifierPrompts.User", "question", "answer");
    }
}
