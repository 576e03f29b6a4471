namespace Agents.Planners.Scaling;

/// <summary>Prompt texts of <see cref="PlanAndBudgetStrategy"/>.</summary>
public sealed class PlanAndBudgetPrompts
{
    /// <summary>Gets or sets the decomposition system prompt; the reply must be JSON with <c>subquestions</c>.</summary>
    public string DecomposeSystem { get; set; } =
        """
        Break the question into the few sub-questions that must be answered, in the order to answer them.
        Rate each one's difficulty from 1 (a single lookup) to 10 (long multi-step reasoning).
        Reply with ONLY: {"subquestions":[{"question":"...","complexity":<1-10>}]}
        """;

    /// <summary>Gets or sets the decomposition user message. Placeholder: <c>{{question}}</c>.</summary>
    public string DecomposeUser { get; set; } = "Question: {{question}}";

    /// <summary>Gets or sets the context given to each sub-question's run. Placeholders: <c>{{question}}</c>, <c>{{findings}}</c>.</summary>
    public string SubQuestionContext { get; set; } = "This is a step towards the main question: {{question}}\nFindings so far:\n{{findings}}";

    /// <summary>Gets or sets the synthesis system prompt.</summary>
    public string SynthesisSystem { get; set; } =
        "Answer the main question from the sub-answers. Reply with the final answer inside <answer></answer> and your confidence from 0 to 1 inside <confidence></confidence>.";

    /// <summary>Gets or sets the synthesis user message. Placeholders: <c>{{question}}</c>, <c>{{findings}}</c>.</summary>
    public string SynthesisUser { get; set; } = "Main question: {{question}}\nSub-answers:\n{{findings}}";

    /// <summary>Checks the templates.</summary>
    /// <exception cref="ArgumentException">A template is empty or misses a placeholder.</exception>
    public void Validate()
    {
        PromptTemplate.Validate(DecomposeSystem, "PlanAndBudgetPrompts.DecomposeSystem");
        PromptTemplate.Validate(DecomposeUser, "PlanAndBudgetPrompts.DecomposeUser", "question");
        PromptTemplate.Validate(SubQuestionContext, "PlanAndBudgetPrompts.SubQuestionContext", "findings");
        PromptTemplate.Validate(SynthesisSystem, "PlanAndBudgetPrompts.SynthesisSystem");
        PromptTemplate.Validate(SynthesisUser, "PlanAndBudgetPrompts.SynthesisUser", "question", "findings");
    }
}
