namespace Agents.Planners.DeepResearch;

/// <summary>A stage of the deep-research workflow.</summary>
public enum DeepResearchStage
{
    /// <summary>Searches, browses, archives sources and writes evidence notes.</summary>
    ContextBuilder,

    /// <summary>Writes the report section by section from the knowledge base.</summary>
    ReportWriter,
}
