namespace Agents.Planners.DeepResearch;

/// <summary>The names of the files a deep-research workspace holds, relative to its root.</summary>
public static class DeepResearchFiles
{
    /// <summary>The research question, written on the first run; a rerun must ask the same question.</summary>
    public const string Task = "task.md";

    /// <summary>Key questions, target hierarchy of the knowledge base and the TODO list.</summary>
    public const string Index = "index.md";

    /// <summary>The Context Builder log: one <c># Round N</c> heading per round.</summary>
    public const string KnowledgeBaseLog = "kb_log.md";

    /// <summary>The folder that holds evidence notes and, below it, the source archive.</summary>
    public const string KnowledgeBase = "knowledge_base";

    /// <summary>
    /// The folder that holds the full text of tool results condensed out of a round's context window (one file per
    /// tool call); the agents read them back with the file tools.
    /// </summary>
    public const string ToolResults = "tool_results";

    /// <summary>The report outline: one <c>- [TODO] Section title</c> line per section.</summary>
    public const string ReportOutline = "report_outline.md";

    /// <summary>The report, with <c>[n]</c> citations and a References list of archived sources.</summary>
    public const string Report = "report.md";

    /// <summary>The Report Writer log: one <c># Round N</c> heading per round.</summary>
    public const string ReportLog = "report_log.md";

    /// <summary>
    /// The spend of all runs on the workspace so far (a JSON <c>Agents.Budget.BudgetSpend</c>), written atomically by the
    /// workflow after every model call and web tool call and restored into the tracker when a run resumes. Agents can
    /// read it but not change it.
    /// </summary>
    public const string BudgetState = "budget_state.json";

    /// <summary>
    /// The folder of the child budgets' files: one JSON file per sub-researcher's topic (<c>child_budgets/knowledge_base/&lt;slug&gt;.json</c>,
    /// beside the path of the topic's folder) and one for the Report Writer (<c>child_budgets/report_writer.json</c>), each with the
    /// child's limits and spend, written atomically at every checkpoint. A resumed run restores each child from its own file and the
    /// whole run from <see cref="BudgetState"/>, of which every child's spend is a part. Agents can read them but not change them.
    /// </summary>
    public const string ChildBudgets = "child_budgets";
}
