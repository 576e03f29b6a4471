namespace Agents.Planners.ReAct;

/// <summary>The prompt texts of <see cref="ReActAgent"/>; every text can be replaced.</summary>
public sealed class ReActPrompts
{
    /// <summary>Gets or sets the system prompt. Placeholder: <c>{{budget_guideline}}</c> (empty unless budget-aware).</summary>
    public string System { get; set; } =
        """
        You are a careful research agent. Work step by step: think about what you still need, call a tool to get it,
        read the result, and repeat. Do not guess facts you can look up.
        When you are sure, reply WITHOUT calling any tool, with the final answer inside <answer></answer> tags and
        your confidence between 0 and 1 inside <confidence></confidence> tags.
        {{budget_guideline}}
        """;

    /// <summary>Gets or sets the text added to the system prompt in budget-aware mode. Placeholder: <c>{{guideline}}</c> (the tracker's regime guideline).</summary>
    public string BudgetGuideline { get; set; } =
        """
        {{guideline}}
        Before each tool call, say in one sentence why it is worth its cost given what remains.
        """;

    /// <summary>Gets or sets the user message that asks the question. Placeholders: <c>{{question}}</c>, <c>{{context}}</c>.</summary>
    public string Question { get; set; } = "Question: {{question}}\n{{context}}";

    /// <summary>Gets or sets the message sent, without tools, when the budget runs out and the tracker asks for a final answer.</summary>
    public string FinalAnswer { get; set; } =
        "The tool budget is spent; no more tool calls are possible. Give your best final answer now from what you found, inside <answer></answer>. If you are not reasonably sure, answer <answer>None</answer>.";

    /// <summary>Checks every template.</summary>
    /// <exception cref="ArgumentException">A template is empty or misses its required placeholder.</exception>
    public void Validate()
    {
        PromptTemplate.Validate(System, "ReActPrompts.System");
        PromptTemplate.Validate(BudgetGuideline, "ReActPrompts.BudgetGuideline", "guideline");
        PromptTemplate.Validate(Question, "ReActPrompts.Question", "question");
        PromptTemplate.Validate(FinalAnswer, "ReActPrompts.FinalAnswer");
    }
}
