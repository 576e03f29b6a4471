namespace Agents.Planners.DeepResearch;

/// <summary>One open "- [TODO] title" item of index.md, handed to a sub-researcher with a folder of its own.</summary>
/// <param name="Title">The item's text.</param>
/// <param name="Folder">The topic's folder in the workspace, <c>knowledge_base/&lt;slug&gt;</c>.</param>
internal sealed record ResearchTopic(string Title, string Folder)
{
    /// <summary>Gets the file the sub-researcher writes its findings to, one line per finding; merged into index.md.</summary>
    public string FindingsFile => Folder + "/findings.md";
}
