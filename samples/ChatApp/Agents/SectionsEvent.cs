namespace Agents.Samples.ChatApp.Agents;

/// <summary>The report's sections as the deep-research writer has planned them and how far each is written.</summary>
/// <param name="Sections">The sections in report order.</param>
internal sealed record SectionsEvent(IReadOnlyList<ReportSection> Sections) : AgentEvent
{
    /// <summary>Gets how many sections are written.</summary>
    public int Written => Sections.Count(s => s.Status == ReportSection.Complete);

    public override string EventName => "sections";
}
