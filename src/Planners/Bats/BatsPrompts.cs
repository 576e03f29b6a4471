namespace Agents.Planners.Bats;

/// <summary>
/// The prompt texts of <see cref="BatsAgent"/>, in this project's own wording; every text can be replaced.
/// Placeholders are written <c>{{name}}</c>; each property names the ones it must keep.
/// </summary>
public sealed class BatsPrompts
{
    /// <summary>Gets or sets the planner's system prompt (no placeholders required). The reply must hold <c>&lt;exploration&gt;</c>, <c>&lt;verification&gt;</c> and <c>&lt;plan&gt;</c> sections.</summary>
    public string PlanningSystem { get; set; } =
        """
        You are the planner of a research agent with limited tool budgets.
        1. Split the question's clues into two kinds of constraints:
           - exploration constraints: broad clues that can generate candidate answers (start from these);
           - verification constraints: narrow clues that can only confirm or reject a candidate (never start from these).
        2. Write a checklist plan. One step a line, numbered (1, 2, ...); alternative leads are numbered branches (1.1, 1.2).
           Each line starts with its number and a check box: [ ] pending, [x] done, [!] failed, [~] partial.
        Reply exactly in this shape:
        <exploration>
        - one constraint a line
        </exploration>
        <verification>
        - one constraint a line
        </verification>
        <plan>
        1 [ ] ...
        </plan>
        """;

    /// <summary>Gets or sets the planner's user message. Placeholders: <c>{{question}}</c>, <c>{{budget}}</c>.</summary>
    public string PlanningUser { get; set; } = "Question: {{question}}\n\nBudget now:\n{{budget}}";

    /// <summary>Gets or sets the acting agent's system prompt. Placeholders: <c>{{guideline}}</c>, <c>{{exploration}}</c>, <c>{{verification}}</c>.</summary>
    public string ActSystem { get; set; } =
        """
        You are a research agent answering a hard question with tools whose use is budgeted.
        Generate candidates from the exploration constraints first; check candidates against the verification constraints.
        Exploration constraints:
        {{exploration}}
        Verification constraints:
        {{verification}}
        Keep the checklist plan current. When a step changes, or you open an alternative lead, add a block:
        <plan_update>
        1.2 [x] what was done
        1.3 [ ] a new lead
        </plan_update>
        Never remove steps; mark dead ends [!]. Use each tool result before asking for more.
        When you have an answer you believe satisfies every constraint, reply without tool calls as <answer>...</answer>.
        {{guideline}}
        """;

    /// <summary>Gets or sets the state message rebuilt on every step. Placeholders: <c>{{question}}</c>, <c>{{plan}}</c>, <c>{{budget}}</c>, <c>{{notes}}</c>.</summary>
    public string ActState { get; set; } =
        """
        Question: {{question}}
        {{context}}
        Current plan:
        {{plan}}
        Budget now:
        {{budget}}
        {{notes}}
        """;

    /// <summary>Gets or sets the reminder sent when a reply has neither a tool call nor an answer.</summary>
    public string Nudge { get; set; } = "Either call a tool for the next plan step or give your answer inside <answer></answer>.";

    /// <summary>Gets or sets the request, sent without tools, for a best answer once the budget is spent.</summary>
    public string FinalAnswer { get; set; } =
        "The budget is spent; no tools remain. From what you found, give your best answer inside <answer></answer>, or <answer>None</answer> if you have no candidate.";

    /// <summary>Gets or sets the verifier's system prompt (no placeholders required). It defines the strict JSON reply.</summary>
    public string VerifySystem { get; set; } =
        """
        You are the verifier of a research agent. Judge a proposed answer strictly against every constraint of the question,
        using only evidence present in the trajectory. For each constraint say satisfied, contradicted or unverifiable.
        Then decide:
        - SUCCESS: every constraint is satisfied.
        - CONTINUE: a few constraints are still unverifiable, the path is sound, and the remaining budget is enough to check them.
        - PIVOT: the path is a dead end, the reasoning is flawed, tool calls keep failing, or the budget is too small for this path.
        Reply with ONLY one JSON object, no prose, in this shape:
        {"verification":[{"constraint":"...","status":"satisfied|contradicted|unverifiable","evidence":"..."}],
         "decision":"SUCCESS|CONTINUE|PIVOT","justification":"...","trajectory_summary":"what was tried and found, briefly",
         "details":{"failure_analysis":"...","useful_findings":"...","recommendations":"...","backtrack_to":"plan step number or empty"}}
        """;

    /// <summary>Gets or sets the verifier's user message. Placeholders: <c>{{question}}</c>, <c>{{answer}}</c>, <c>{{trajectory}}</c>, <c>{{budget}}</c>.</summary>
    public string VerifyUser { get; set; } =
        """
        Question: {{question}}
        Exploration constraints:
        {{exploration}}
        Verification constraints:
        {{verification}}
        Plan:
        {{plan}}
        Trajectory:
        {{trajectory}}
        Proposed answer: {{answer}}
        Budget now:
        {{budget}}
        """;

    /// <summary>Gets or sets the repair request after an invalid verifier reply. Placeholder: <c>{{error}}</c>.</summary>
    public string Repair { get; set; } =
        "Your reply could not be used: {{error}} Reply again with ONLY the JSON object in the required shape.";

    /// <summary>Gets or sets the judge's system prompt for <see cref="BatsJudgeMode.BestOfN"/> (no placeholders required).</summary>
    public string JudgeBestOfN { get; set; } =
        """
        You are the judge. Several attempts proposed answers that passed their own verification. Choose the single answer
        best supported by its evidence. Never choose "None". If two are equally supported, choose the more specific one.
        Reply with ONLY: {"choice": <candidate number>, "confidence": <0 to 1>, "reason": "..."}
        """;

    /// <summary>Gets or sets the judge's system prompt for <see cref="BatsJudgeMode.MajorityVote"/> (no placeholders required).</summary>
    public string JudgeMajority { get; set; } =
        """
        You are the judge. Several attempts proposed answers that passed their own verification. Choose the answer the
        majority of attempts agree on, treating different spellings of the same entity as one; let strong evidence outweigh a bare count.
        Never choose "None". On a tie choose the more specific answer.
        Reply with ONLY: {"choice": <candidate number>, "confidence": <0 to 1>, "reason": "..."}
        """;

    /// <summary>Gets or sets the judge's user message. Placeholders: <c>{{question}}</c>, <c>{{candidates}}</c>.</summary>
    public string JudgeUser { get; set; } = "Question: {{question}}\n\nCandidates:\n{{candidates}}";

    /// <summary>Checks every template.</summary>
    /// <exception cref="ArgumentException">A template is empty or misses a required placeholder (the message names it).</exception>
    public void Validate()
    {
        PromptTemplate.Validate(PlanningSystem, "BatsPrompts.PlanningSystem");
        PromptTemplate.Validate(PlanningUser, "BatsPrompts.PlanningUser", "question");
        PromptTemplate.Validate(ActSystem, "BatsPrompts.ActSystem", "exploration", "verification");
        PromptTemplate.Validate(ActState, "BatsPrompts.ActState", "question", "plan");
        PromptTemplate.Validate(Nudge, "BatsPrompts.Nudge");
        PromptTemplate.Validate(FinalAnswer, "BatsPrompts.FinalAnswer");
        PromptTemplate.Validate(VerifySystem, "BatsPrompts.VerifySystem");
        PromptTemplate.Validate(VerifyUser, "BatsPrompts.VerifyUser", "question", "answer", "trajectory");
        PromptTemplate.Validate(Repair, "BatsPrompts.Repair", "error");
        PromptTemplate.Validate(JudgeBestOfN, "BatsPrompts.JudgeBestOfN");
        PromptTemplate.Validate(JudgeMajority, "BatsPrompts.JudgeMajority");
        PromptTemplate.Validate(JudgeUser, "BatsPrompts.JudgeUser", "question", "candidates");
    }
}
