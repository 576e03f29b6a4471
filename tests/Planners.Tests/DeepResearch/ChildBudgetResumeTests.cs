using System.Text.Json;
using Agents.Budget.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace Agents.Planners.Tests.DeepResearch;

/// <summary>
/// Two topics researched in parallel, each on a child budget (10 of the run's 20 searches), cut off by a cancellation and
/// resumed with a fresh tracker: every child continues its own spend, and the run's spend is the sum of its children's.
/// </summary>
public sealed class ChildBudgetResumeTests : IDisposable
{
    private const string Question = "How is renewable capacity growing?";
    private static readonly string[] Topics = ["solar", "wind"];
    private readonly TestWorkspaces _workspaces = new("agents-deepresearch-children");

    public void Dispose() => _workspaces.Dispose();

    [Fact]
    public async Task AResumedTopicContinuesItsOwnChildBudgetAndTheRunsSpendIsTheSum()
    {
        await CutWithSolarOpenAsync(solarSearches: 7);

        // Cut off: solar's child is open with 7 of its 10 searches spent; wind's ended with 2; the run's file holds both.
        var solar = ReadChild("solar");
        Assert.True(solar.Open);
        Assert.Equal(10, solar.Limits.ToolLimits["search"]);
        Assert.Equal(7, solar.Spend.GetUnits("search"));
        var wind = ReadChild("wind");
        Assert.False(wind.Open);
        Assert.Equal(2, wind.Spend.GetUnits("search"));
        Assert.Equal(9, ReadRunSpend().GetUnits("search"));

        var script = new TopicScript(Root, Topics) { Searches = { ["solar"] = 5 } };
        var result = await Create(script).RunAsync(Question, CancellationToken.None);

        // Solar resumes with 3 searches left (not a fresh share of the 11 the run has left): 3 of its 5 are granted.
        var rounds = script.RoundsOf("solar");
        Assert.Single(rounds);
        Assert.Contains("used: 7, remaining: 3", rounds[0], StringComparison.Ordinal);
        Assert.Empty(script.RoundsOf("wind"));
        Assert.Contains("Topic \"solar\" (knowledge_base/solar/): stopped by its budget", Read(DeepResearchFiles.KnowledgeBaseLog), StringComparison.Ordinal);
        solar = ReadChild("solar");
        Assert.Equal(10, solar.Spend.GetUnits("search"));
        Assert.False(solar.Open);

        // One budget in total: the run's spend is the sum of its children's, restored once.
        Assert.Equal(12, result.Budget.GetCategory("search")!.Used);
        Assert.Equal(12, ReadRunSpend().GetUnits("search"));
        Assert.Equal(solar.Spend.GetUnits("search") + ReadChild("wind").Spend.GetUnits("search"), result.Budget.GetCategory("search")!.Used);
    }

    [Fact]
    public async Task ATopicResumedAtItsLimitIsRefusedAtOnceAndItsNextRoundGetsAFreshShare()
    {
        await CutWithSolarOpenAsync(solarSearches: 10);
        Assert.True(ReadChild("solar").Open);
        Assert.Equal(10, ReadChild("solar").Spend.GetUnits("search"));

        var script = new TopicScript(Root, Topics);
        var resumed = await Create(script).RunAsync(Question, CancellationToken.None);

        // Solar's restored child is at its limit: its sub-researcher stops before its first model call.
        Assert.Empty(script.TopicRounds);
        Assert.Contains("Topic \"solar\" (knowledge_base/solar/): stopped by its budget", Read(DeepResearchFiles.KnowledgeBaseLog), StringComparison.Ordinal);
        Assert.Equal(12, resumed.Budget.GetCategory("search")!.Used);
        Assert.False(ReadChild("solar").Open);

        // Its run ended, so the next run gives it a fresh share of the 8 searches left, on top of the 10 it spent.
        script = new TopicScript(Root, Topics);
        var third = await Create(script).RunAsync(Question, CancellationToken.None);

        var rounds = script.RoundsOf("solar");
        Assert.Single(rounds);
        Assert.Contains("used: 10, remaining: 8", rounds[0], StringComparison.Ordinal);
        Assert.Equal(StageStopReason.Completed, third.ContextBuilder.StopReason);
        Assert.Equal(13, third.Budget.GetCategory("search")!.Used);
        Assert.Equal(ReadChild("solar").Spend.GetUnits("search") + ReadChild("wind").Spend.GetUnits("search"), third.Budget.GetCategory("search")!.Used);
    }

    [Fact]
    public async Task ACorruptChildBudgetFileIsAWarningAndTheChildStartsAfresh()
    {
        await CutWithSolarOpenAsync(solarSearches: 7);
        var windFile = Read(ChildFile("wind"));
        await File.WriteAllTextAsync(Path.Combine(Root, ChildFile("solar")), "{ not json");
        var logs = new ListLoggerFactory();

        var script = new TopicScript(Root, Topics) { Searches = { ["solar"] = 5 } };
        var result = await Create(script, logs).RunAsync(Question, CancellationToken.None);

        // The lost file is unknown: solar gets a fresh share of the 11 searches the run has left; nothing else is lost.
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(ChildFile("solar"), StringComparison.Ordinal));
        var rounds = script.RoundsOf("solar");
        Assert.Single(rounds);
        Assert.Contains("used: 0, remaining: 11", rounds[0], StringComparison.Ordinal);
        Assert.Equal(StageStopReason.Completed, result.ContextBuilder.StopReason);
        Assert.Equal(14, result.Budget.GetCategory("search")!.Used);
        Assert.Equal(5, ReadChild("solar").Spend.GetUnits("search"));
        Assert.Equal(windFile, Read(ChildFile("wind")));
    }

    private static string ChildFile(string topic) => $"{DeepResearchFiles.ChildBudgets}/knowledge_base/{topic}.json";

    private static BudgetTracker Budget() => new(new BudgetOptions().SetToolLimit("search", 20).AddToolMapping("search", "search"));

    private string Root => _workspaces.Root;

    /// <summary>
    /// Runs until round 2's sub-researchers are at work, then cancels: wind searches twice and ends; solar asks for
    /// <paramref name="solarSearches"/> searches and a pause that cancels the run once they and wind are done.
    /// </summary>
    private async Task CutWithSolarOpenAsync(int solarSearches)
    {
        using var cts = new CancellationTokenSource();
        var windDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var solarSearched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var solarCount = 0;
        var script = new TopicScript(Root, Topics)
        {
            Searches = { ["solar"] = solarSearches, ["wind"] = 2 },
            PausedTopic = "solar",
            AfterTopic = topic =>
            {
                if (topic == "wind")
                {
                    windDone.TrySetResult();
                }
            },
        };
        var search = AIFunctionFactory.Create(
            (string query) =>
            {
                if (query.StartsWith("solar", StringComparison.Ordinal) && Interlocked.Increment(ref solarCount) == solarSearches)
                {
                    solarSearched.TrySetResult();
                }

                return $"Results for {query}.";
            },
            "search");
        var pause = AIFunctionFactory.Create(
            async (CancellationToken ct) =>
            {
                await Task.WhenAll(windDone.Task, solarSearched.Task).WaitAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
                await cts.CancelAsync();
                await Task.Delay(Timeout.Infinite, ct);
                return "paused";
            },
            "pause");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Create(script, null, search, pause).RunAsync(Question, cts.Token));
        Assert.Contains("Topic \"solar\" (knowledge_base/solar/): cancelled", Read(DeepResearchFiles.KnowledgeBaseLog), StringComparison.Ordinal);
        Assert.Contains("Topic \"wind\" (knowledge_base/wind/): complete", Read(DeepResearchFiles.KnowledgeBaseLog), StringComparison.Ordinal);
    }

    private DeepResearchWorkflow Create(TopicScript script, ILoggerFactory? logs = null, params AIFunction[] tools)
    {
        var workspace = _workspaces.Open();
        AIFunction[] web = tools.Length > 0 ? tools : [AIFunctionFactory.Create((string query) => $"Results for {query}.", "search")];
        var options = new DeepResearchOptions { MaxParallelTopics = 2, MaxWriterRounds = 2 };
        return new DeepResearchWorkflow(new AsyncScriptedChatClient(script.RespondAsync), workspace, Budget(), web, options, loggerFactory: logs);
    }

    private ChildBudgetState ReadChild(string topic) => JsonSerializer.Deserialize<ChildBudgetState>(Read(ChildFile(topic)))!;

    private BudgetSpend ReadRunSpend() => JsonSerializer.Deserialize<BudgetSpend>(Read(DeepResearchFiles.BudgetState))!;

    private string Read(string relative) => _workspaces.Read(relative);
}
