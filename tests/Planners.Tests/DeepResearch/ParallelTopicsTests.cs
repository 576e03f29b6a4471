using System.Text.RegularExpressions;

namespace Agents.Planners.Tests.DeepResearch;

public sealed class ParallelTopicsTests : IDisposable
{
    private static readonly string[] FourTopics = ["solar", "wind", "storage", "hydro"];
    private static readonly string[] ThreeTopics = ["solar", "wind", "storage"];
    private readonly TestWorkspaces _workspaces = new("agents-deepresearch-topics");

    public void Dispose() => _workspaces.Dispose();

    [Fact]
    public async Task UpToKTopicsRunAtOnceAndEveryTopicIsMergedIntoIndexOnce()
    {
        var script = new TopicScript(WorkspaceRoot, FourTopics);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;
        script.BeforeTopic = async (_, ct) =>
        {
            // The first three sub-researchers each wait until all three are in a model call: only parallel runs get past.
            var n = Interlocked.Increment(ref arrived);
            if (n <= 3)
            {
                if (n == 3)
                {
                    gate.SetResult();
                }

                await gate.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
            }
        };
        var model = new AsyncScriptedChatClient(script.RespondAsync);

        var result = await Create(model, Budget(searches: 40), new DeepResearchOptions { MaxParallelTopics = 3, MaxWriterRounds = 2 })
            .RunAsync("How is renewable capacity growing?", CancellationToken.None);

        Assert.Equal(StageStopReason.Completed, result.ContextBuilder.StopReason);
        Assert.Equal(3, model.MaxInFlight);
        var index = Read(DeepResearchFiles.Index);
        foreach (var topic in FourTopics)
        {
            Assert.Contains($"- [COMPLETE] {topic}\n", index);
            Assert.Single(Regex.Matches(index, Regex.Escape(TopicScript.Finding(topic))));
            Assert.True(File.Exists(Path.Combine(WorkspaceRoot, "knowledge_base", topic, topic + ".md")), topic);
        }

        Assert.DoesNotContain("[TODO]", index);
        Assert.Single(Regex.Matches(index, Regex.Escape(TopicScript.SharedFinding)));
        Assert.Single(Regex.Matches(index, "^## Findings$", RegexOptions.Multiline));

        // Deterministic order: the findings follow the topics' order in the index, not the order the runs ended in.
        var positions = FourTopics.Select(t => index.IndexOf(TopicScript.Finding(t), StringComparison.Ordinal)).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(4, result.Budget.GetCategory("search")!.Used);
    }

    [Fact]
    public async Task AFailingSubResearcherLosesNothingOfTheOthersAndItsTopicIsResearchedOnResume()
    {
        var script = new TopicScript(WorkspaceRoot, ThreeTopics)
        {
            BeforeTopic = (topic, _) => topic == "wind" ? throw new InvalidOperationException("the wind model broke") : Task.CompletedTask,
        };
        var options = new DeepResearchOptions { MaxParallelTopics = 3, MaxBuilderRounds = 2, MaxWriterRounds = 2 };

        var first = await Create(new AsyncScriptedChatClient(script.RespondAsync), Budget(), options).RunAsync("Q?", CancellationToken.None);

        Assert.Equal(StageStopReason.RoundCap, first.ContextBuilder.StopReason);
        AssertWindOpenOthersMerged("failed: the wind model broke");

        script.BeforeTopic = null;
        var second = await Create(new AsyncScriptedChatClient(script.RespondAsync), Budget(), new DeepResearchOptions { MaxParallelTopics = 3, MaxWriterRounds = 2 })
            .RunAsync("Q?", CancellationToken.None);

        Assert.Equal(StageStopReason.Completed, second.ContextBuilder.StopReason);
        var index = Read(DeepResearchFiles.Index);
        Assert.Contains("- [COMPLETE] wind\n", index);
        Assert.Single(Regex.Matches(index, Regex.Escape(TopicScript.Finding("wind"))));
        Assert.Single(Regex.Matches(index, Regex.Escape(TopicScript.SharedFinding)));
    }

    [Fact]
    public async Task ACancelledRunKeepsTheFinishedTopicsAndResumes()
    {
        using var cts = new CancellationTokenSource();
        var finished = 0;
        var othersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = new TopicScript(WorkspaceRoot, ThreeTopics)
        {
            AfterTopic = topic =>
            {
                if (topic != "wind" && Interlocked.Increment(ref finished) == 2)
                {
                    othersDone.SetResult();
                }
            },
            BeforeTopic = async (topic, ct) =>
            {
                if (topic == "wind")
                {
                    await othersDone.Task.WaitAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
                    await cts.CancelAsync();
                    await Task.Delay(Timeout.Infinite, ct);
                }
            },
        };
        var options = new DeepResearchOptions { MaxParallelTopics = 3, MaxWriterRounds = 2 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Create(new AsyncScriptedChatClient(script.RespondAsync), Budget(), options).RunAsync("Q?", cts.Token));

        AssertWindOpenOthersMerged("cancelled");

        script.BeforeTopic = null;
        script.AfterTopic = null;
        var resumed = await Create(new AsyncScriptedChatClient(script.RespondAsync), Budget(), options).RunAsync("Q?", CancellationToken.None);

        Assert.Equal(StageStopReason.Completed, resumed.ContextBuilder.StopReason);
        var index = Read(DeepResearchFiles.Index);
        Assert.DoesNotContain("[TODO]", index);
        Assert.Contains(TopicScript.Finding("wind"), index);
        Assert.Single(Regex.Matches(index, Regex.Escape(TopicScript.SharedFinding)));

        // The resumed run restored the spend of the cancelled one: one search per topic in all (wind was cancelled before its search).
        Assert.Equal(3, resumed.Budget.GetCategory("search")!.Used);
    }

    [Fact]
    public async Task EachStageCallsItsOwnModel()
    {
        var script = new TopicScript(WorkspaceRoot, ThreeTopics);
        var planner = Recording(script, out var plannerUsers, out _);
        var researcher = Recording(script, out var researcherUsers, out _);
        var writer = Recording(script, out _, out var writerTools);
        var summarizer = new AsyncScriptedChatClient((_, _, _) => throw new InvalidOperationException("The page reader is not called by the workflow itself."));
        var main = new AsyncScriptedChatClient((_, _, _) => throw new InvalidOperationException("Every stage has its own model."));
        var options = new DeepResearchOptions
        {
            MaxParallelTopics = 2,
            MaxWriterRounds = 2,
            PlannerChatClient = planner,
            ResearcherChatClient = researcher,
            SummarizerChatClient = summarizer,
            WriterChatClient = writer,
        };
        var workflow = Create(main, Budget(), options);

        var result = await workflow.RunAsync("Q?", CancellationToken.None);

        Assert.Equal(StageStopReason.Completed, result.ContextBuilder.StopReason);
        Assert.Equal(0, main.Calls);
        Assert.NotEmpty(plannerUsers);
        Assert.All(plannerUsers, u => Assert.DoesNotContain("Your topic:", u));
        Assert.Equal(ThreeTopics.Length * 3, researcherUsers.Count);
        Assert.All(researcherUsers, u => Assert.Contains("Your topic:", u));
        Assert.Equal(2, writerTools.Count);
        Assert.All(writerTools, tools => Assert.DoesNotContain("search", tools.Split(',')));
        Assert.Same(summarizer, workflow.SummarizerChatClient);
        Assert.Same(main, Create(main, Budget(), new DeepResearchOptions()).SummarizerChatClient);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ParallelChildrenNeverOvershootTheParentsLimits(int seed)
    {
        var random = new Random(seed);
        var k = random.Next(1, 5);
        var topics = Enumerable.Range(1, random.Next(1, 6)).Select(i => $"topic{i}").ToList();
        var options = new BudgetOptions
        {
            MaxInputTokens = random.Next(3_000, 60_000),
            MaxOutputTokens = random.Next(20, 2_000),
            MaxCostUsd = random.Next(1, 200) / 1000m,
        }.SetToolLimit("search", random.Next(1, 9)).AddToolMapping("search", "search");
        options.Pricing.SetDefaultModelPrice(1m, 4m);
        var budget = new BudgetTracker(options);
        var topicCalls = 0;
        var script = new TopicScript(WorkspaceRoot, topics)
        {
            SearchesPerTopic = random.Next(1, 4),
            // The model uses all the output it is allowed and no more input than estimated, as a real model may.
            Usage = o => new UsageDetails { InputTokenCount = 10, OutputTokenCount = o?.MaxOutputTokens ?? 100, TotalTokenCount = 10 + (o?.MaxOutputTokens ?? 100) },
        };
        var model = new AsyncScriptedChatClient((messages, chatOptions, ct) =>
        {
            if (messages.Any(m => m.Role == ChatRole.User && m.Text.Contains("Your topic:", StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref topicCalls);
            }

            return script.RespondAsync(messages, chatOptions, ct);
        });

        var result = await Create(model, budget, new DeepResearchOptions { MaxParallelTopics = k, MaxBuilderRounds = 6, MaxWriterRounds = 2, WriterShare = random.Next(0, 4) / 10.0 })
            .RunAsync("Q?", CancellationToken.None);

        var spent = result.Budget;
        Assert.True(spent.InputTokens <= options.MaxInputTokens, $"seed {seed}: input {spent.InputTokens} > {options.MaxInputTokens}");
        Assert.True(spent.OutputTokens <= options.MaxOutputTokens, $"seed {seed}: output {spent.OutputTokens} > {options.MaxOutputTokens}");
        Assert.True(spent.CostUsd <= options.MaxCostUsd, $"seed {seed}: cost {spent.CostUsd} > {options.MaxCostUsd}");
        Assert.True(spent.GetCategory("search")!.Used <= options.ToolLimits["search"], $"seed {seed}: searches");
        if (k > 1 && Read(DeepResearchFiles.Index).Contains("[TODO]", StringComparison.Ordinal) && !budget.IsExhausted)
        {
            Assert.True(topicCalls > 0, $"seed {seed}: open topics were never handed to sub-researchers");
        }
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 24; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    private string WorkspaceRoot => _workspaces.Root;

    private static BudgetOptions Budget(long searches = 20) =>
        new BudgetOptions().SetToolLimit("search", searches).AddToolMapping("search", "search");

    private static AsyncScriptedChatClient Recording(TopicScript script, out List<string> users, out List<string> tools)
    {
        var u = users = [];
        var t = tools = [];
        return new AsyncScriptedChatClient((messages, options, ct) =>
        {
            lock (u)
            {
                u.Add(messages.First(m => m.Role == ChatRole.User).Text);
                t.Add(string.Join(",", options?.Tools?.Select(x => x.Name) ?? []));
            }

            return script.RespondAsync(messages, options, ct);
        });
    }

    private DeepResearchWorkflow Create(IChatClient model, BudgetOptions budget, DeepResearchOptions options) =>
        Create(model, new BudgetTracker(budget), options);

    private DeepResearchWorkflow Create(IChatClient model, BudgetTracker budget, DeepResearchOptions options)
    {
        var workspace = _workspaces.Open();
        var search = AIFunctionFactory.Create((string query) => $"Results for {query}: nothing new.", "search");
        return new DeepResearchWorkflow(model, workspace, budget, [search], options);
    }

    /// <summary>After a round in which wind's sub-researcher ended as <paramref name="state"/>: the others are merged, wind is open.</summary>
    private void AssertWindOpenOthersMerged(string state)
    {
        var index = Read(DeepResearchFiles.Index);
        Assert.Contains("- [COMPLETE] solar\n", index);
        Assert.Contains("- [COMPLETE] storage\n", index);
        Assert.Contains("- [TODO] wind\n", index);
        Assert.Contains(TopicScript.Finding("solar"), index);
        Assert.Contains(TopicScript.Finding("storage"), index);
        Assert.DoesNotContain(TopicScript.Finding("wind"), index);
        Assert.Contains($"Topic \"wind\" (knowledge_base/wind/): {state}", Read(DeepResearchFiles.KnowledgeBaseLog));
    }

    private string Read(string relative) => _workspaces.Read(relative);
}
