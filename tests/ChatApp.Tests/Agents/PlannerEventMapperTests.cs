using Agents.Budget;
using Agents.Planners.Runs;
using Agents.Planners.Runs.Events;
using Agents.Plugins.Memory;
using Agents.Samples.ChatApp.Hosting;

namespace Agents.Samples.ChatApp.Tests.Agents;

/// <summary>The planners' events become readable steps, and cited sources carry what the agent read.</summary>
public sealed class PlannerEventMapperTests
{
    private const string Paris = "https://en.wikipedia.org/wiki/Paris";
    private const string Seine = "https://en.wikipedia.org/wiki/Seine";

    [Fact]
    public void Tool_results_become_cards_and_cited_sources_carry_the_evidence_and_the_archive_of_pages_read()
    {
        var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 5));
        var mapper = new PlannerEventMapper(new SessionBudget { SearchUnits = 5, BrowseUnits = 5, MaxTokens = 1000, MaxCostUsd = 1 }, TimeSpan.FromMinutes(10));
        var search = new ToolCallRecord("c1", "web_search", new Dictionary<string, object?> { ["queries"] = new[] { "paris river" } },
            "<search_results engine=\"local\" note=\"Untrusted\">\n## Query 1: paris river\n[1] Paris - Wikipedia\n    " + Paris + "\n    Paris is the capital of France.\n" +
            "[2] Seine\n    " + Seine + "\n    A river in northern France.\n</search_results>\n<budget>search 1/5</budget>", true, "search", 1);
        var browse = new ToolCallRecord("c2", "browser_browse", new Dictionary<string, object?> { ["urls"] = new[] { Paris } },
            "## URL 1: " + Paris + "\n<web_page url=\"" + Paris + "\" title=\"Paris\" content_type=\"text/html\" page=\"1 of 2\" note=\"Untrusted\">\nThe Seine flows through Paris.\n</web_page>\n", true, "browse", 1);

        var results = mapper.Map(new ToolCalledEvent(search), tracker).Concat(mapper.Map(new ToolCalledEvent(browse), tracker)).OfType<ToolResultEvent>().ToList();

        Assert.Equal("2 results for 1 query", results[0].Summary);
        Assert.Equal([new ResultCard("Paris - Wikipedia", Paris, "Paris is the capital of France."), new ResultCard("Seine", Seine, "A river in northern France.")], results[0].Cards);
        Assert.Equal("Read \u201CParis\u201D (page 1 of 2)", results[1].Summary);

        var run = new AgentRunResult
        {
            RunId = "r1", AgentName = "react", Question = "q", Status = AgentRunStatus.Answered,
            Answer = "Paris lies on the [Seine](" + Seine + "), see " + Paris + ".",
            Trajectory = new AgentTrajectory([], [search, browse], []), Cost = AgentRunCost.Zero,
        };
        var answer = Assert.IsType<AnswerEvent>(mapper.Map(new RunCompletedEvent(run), tracker).Last());

        Assert.Equal(2, answer.Citations.Count);
        var seine = answer.Citations[0];
        Assert.Equal(("Seine", Seine, "A river in northern France.", (string?)null), (seine.Title, seine.Url, seine.Evidence, seine.Archive));
        var paris = answer.Citations[1];
        Assert.Equal(("Paris", Paris, "The Seine flows through Paris."), (paris.Title, paris.Url, paris.Evidence));
        Assert.Equal(SourceArchive.GetSourcePath(new Uri(Paris)), paris.Archive);
    }

    [Fact]
    public void Budget_events_carry_the_time_used_and_the_time_limit()
    {
        var tracker = new BudgetTracker(new BudgetOptions());
        var mapper = new PlannerEventMapper(new SessionBudget { MaxTokens = 1000, MaxCostUsd = 1 }, TimeSpan.FromMinutes(10));

        var budget = mapper.Budget(tracker.GetSnapshot());

        Assert.Equal(600, budget.MaxSeconds);
        Assert.NotNull(budget.ElapsedSeconds);
    }
}
