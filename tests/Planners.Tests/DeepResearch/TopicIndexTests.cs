namespace Agents.Planners.Tests.DeepResearch;

public sealed class TopicIndexTests
{
    [Fact]
    public void OpenTopicsTakesTodoItemsInOrderWithDistinctFolders()
    {
        const string Index = "# Index\n\n## TODO\n- [COMPLETE] Done topic\n- [TODO] Solar PV (2024)\n* [TODO] solar pv 2024\n- [IN-PROGRESS] busy\n- [TODO] Solar PV (2024)\n- [TODO] !!!\n- [TODO] Wind\n";

        var topics = TopicIndex.OpenTopics(Index, 3);

        Assert.Equal(["Solar PV (2024)", "solar pv 2024", "!!!"], topics.Select(t => t.Title));
        Assert.Equal(["knowledge_base/solar-pv-2024", "knowledge_base/solar-pv-2024-2", "knowledge_base/topic"], topics.Select(t => t.Folder));
        Assert.Equal("knowledge_base/topic/findings.md", topics[2].FindingsFile);
        Assert.Empty(TopicIndex.OpenTopics(null, 3));
    }

    [Fact]
    public void MergeAddsEachNewLineOnceInTopicOrderAndCompletesOnlyCompletedTopics()
    {
        const string Index = "# Index\n\n## TODO\n- [TODO] a\n- [TODO] b\n- [TODO] c\n- known finding\n";
        var a = new ResearchTopic("a", "knowledge_base/a");
        var b = new ResearchTopic("b", "knowledge_base/b");
        var c = new ResearchTopic("c", "knowledge_base/c");

        var merged = TopicIndex.Merge(Index, [(b, "# Findings\n- b1\n- shared\n", true), (a, "- shared\r\n  - known finding\nplain line\n", true), (c, "- c1\n", false)]);

        Assert.Equal(
            "# Index\n\n## TODO\n- [COMPLETE] a\n- [COMPLETE] b\n- [TODO] c\n- known finding\n\n## Findings\n- b1\n- shared\n- plain line\n- c1\n",
            merged);
        Assert.Equal(merged, TopicIndex.Merge(merged, [(b, "- b1\n- shared\n", true)]));
    }
}
