using System.Text.RegularExpressions;

namespace Agents.Planners.Tests.DeepResearch;

public sealed class DeepResearchWorkflowTests
{
    private static BudgetTracker NewBudget(long searches = 20, long browses = 40) =>
        new(new BudgetOptions().SetToolLimit("search", searches).SetToolLimit("browse", browses));

    [Fact]
    public async Task FullRunBuildsWorkspaceAndWritesReportWithResolvingCitations()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        var budget = NewBudget();
        var (workflow, model) = fixture.Create(budget);

        var result = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        // Round 1 quotes the marker inside a sentence: that must not end the stage.
        Assert.Equal(new StageOutcome(DeepResearchStage.ContextBuilder, 2, 2, StageStopReason.Completed), result.ContextBuilder);
        Assert.Equal(new StageOutcome(DeepResearchStage.ReportWriter, 3, 3, StageStopReason.Completed), result.ReportWriter);
        Assert.True(result.IsComplete);
        Assert.True(result.Citations!.IsValid, result.Citations.ToString());
        Assert.Equal([1, 2], result.Citations.Cited);

        var kbLog = fixture.Read(DeepResearchFiles.KnowledgeBaseLog);
        Assert.Equal(["# Round 1", "# Round 2"], Regex.Matches(kbLog, "^# Round \\d+$", RegexOptions.Multiline).Select(m => m.Value));
        Assert.Contains("\n[ALL COMPLETE]\n", kbLog);
        Assert.Equal(ResearchFixture.Question + "\n", fixture.Read(DeepResearchFiles.Task));
        var index = fixture.Read(DeepResearchFiles.Index);
        Assert.Contains("## Key questions", index);
        Assert.Contains("## TODO", index);
        Assert.Contains("- [COMPLETE] research solar", index);
        Assert.Contains("- [COMPLETE] research wind", index);
        Assert.True(File.Exists(fixture.Full("knowledge_base/energy/solar.md")));
        Assert.True(File.Exists(fixture.Full("knowledge_base/energy/wind.md")));
        Assert.Equal("- [COMPLETE] Solar\n- [COMPLETE] Wind\n", fixture.Read(DeepResearchFiles.ReportOutline));
        var report = fixture.Read(DeepResearchFiles.Report);
        Assert.Contains("## Solar", report);
        Assert.Contains("## Wind", report);
        Assert.Contains("## References", report);
        var reportLog = fixture.Read(DeepResearchFiles.ReportLog);
        Assert.Equal(3, Regex.Count(reportLog, "^# Round \\d+$", RegexOptions.Multiline));
        Assert.EndsWith("[ALL COMPLETE]\n", reportLog);

        // One archive per URL: solar-1 is browsed again in round 2 and must not be duplicated.
        var sources = await new SourceArchive(fixture.Workspace).ListAsync(CancellationToken.None);
        Assert.Equal(["solar-1", "solar-2", "wind-1", "wind-2"], sources.Select(s => s.Url.Segments[^1]).Order());
        Assert.Equal(5, fixture.Web.PageRequests.Count);

        // Budget: one tracker for the whole run.
        var snapshot = result.Budget;
        Assert.Equal(2, snapshot.GetCategory("search")!.Used);
        Assert.Equal(5, snapshot.GetCategory("browse")!.Used);
        Assert.Equal(model.Calls * 1000L, snapshot.InputTokens);
        Assert.Equal(model.Calls * 200L, snapshot.OutputTokens);
    }

    [Fact]
    public async Task EveryRoundIsAFreshContextWithRoundNumberAndBudgetBlock()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        var budget = NewBudget();
        var (workflow, _) = fixture.Create(budget, new DeepResearchOptions { MaxBuilderRounds = 4, MaxWriterRounds = 6 });

        await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(5, fixture.Rounds.Count);
        Assert.Contains("Current Round: 1 / Total: 4", fixture.Rounds[0].User);
        Assert.Contains("Current Round: 2 / Total: 4", fixture.Rounds[1].User);
        Assert.Contains("Current Round: 1 / Total: 6", fixture.Rounds[2].User);
        Assert.Contains("Current Round: 3 / Total: 6", fixture.Rounds[4].User);
        Assert.All(fixture.Rounds, r => Assert.Contains("<budget>", r.User));
        Assert.All(fixture.Rounds, r => Assert.Contains(ResearchFixture.Question, r.User));
        Assert.Contains("Context Builder", fixture.Rounds[0].System);
        Assert.Contains("Report Writer", fixture.Rounds[2].System);
        Assert.Contains("search used: 0", fixture.Rounds[0].User, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("search used: 1", fixture.Rounds[1].User, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RerunOnFinishedWorkspaceSkipsBothStagesWithoutSpending()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        BudgetSnapshot firstBudget;
        {
            var budget = NewBudget();
            firstBudget = (await fixture.Create(budget).Workflow.RunAsync(ResearchFixture.Question, CancellationToken.None)).Budget;
        }

        var reportBefore = fixture.Read(DeepResearchFiles.Report);
        var again = NewBudget();
        var (workflow, model) = fixture.Create(again);

        var result = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(new StageOutcome(DeepResearchStage.ContextBuilder, 0, 2, StageStopReason.AlreadyComplete), result.ContextBuilder);
        Assert.Equal(new StageOutcome(DeepResearchStage.ReportWriter, 0, 3, StageStopReason.AlreadyComplete), result.ReportWriter);
        Assert.Equal(0, model.Calls);
        // The rerun's tracker holds the restored spend of the first run and nothing more.
        Assert.True(firstBudget.InputTokens > 0);
        Assert.Equal(firstBudget.InputTokens, result.Budget.InputTokens);
        Assert.Equal(firstBudget.GetCategory("search")!.Used, result.Budget.GetCategory("search")!.Used);
        Assert.Equal(firstBudget.GetCategory("browse")!.Used, result.Budget.GetCategory("browse")!.Used);
        Assert.Equal(reportBefore, fixture.Read(DeepResearchFiles.Report));
        Assert.True(result.IsComplete);
    }

    [Fact]
    public async Task BudgetExhaustionStopsTheBuilderAndTheWriterStillWrites()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        fixture.Script.CompleteAtRound = 99;
        var budget = NewBudget(searches: 2);
        var (workflow, _) = fixture.Create(budget);

        var result = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(new StageOutcome(DeepResearchStage.ContextBuilder, 2, 2, StageStopReason.BudgetExhausted), result.ContextBuilder);
        Assert.Equal(StageStopReason.Completed, result.ReportWriter.StopReason);
        Assert.Equal(2, result.Budget.GetCategory("search")!.Used);
        Assert.Equal(2, result.Budget.GetCategory("browse")!.Used);
        Assert.Contains("Budget exhausted (", fixture.Read(DeepResearchFiles.KnowledgeBaseLog));
        Assert.DoesNotContain("[ALL COMPLETE]\n", fixture.Read(DeepResearchFiles.KnowledgeBaseLog).Replace("not yet [ALL COMPLETE],", string.Empty, StringComparison.Ordinal));
        var report = fixture.Read(DeepResearchFiles.Report);
        Assert.Contains("## Solar", report);
        Assert.DoesNotContain("## Wind", report);
        Assert.True(result.Citations!.IsValid, result.Citations.ToString());
        Assert.False(File.Exists(fixture.Full("knowledge_base/energy/wind.md")));
    }

    [Fact]
    public async Task MoneyCapMidResearchStopsTheBuilderAndTheWritersShareStillWritesTheReportWithinTheCap()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        fixture.Script.CompleteAtRound = 99;
        var options = new BudgetOptions { MaxCostUsd = 0.04m };
        options.Pricing.SetModelPrice("scripted", inputPerMTok: 1m, outputPerMTok: 1m);
        var budget = new BudgetTracker(options);
        var (workflow, model) = fixture.Create(budget, new DeepResearchOptions { WriterShare = 0.5, ChatOptions = new ChatOptions { ModelId = "scripted" } });

        var result = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        // A call reports $0.0012 and a tool unit costs $0.001, but each call first reserves its conservatively estimated
        // prompt (thousands of tokens here). The builder may not touch the writer's half: it stops when its next call does
        // not fit, and the writer writes the outline and the report from its share, all within the cap.
        Assert.Equal(StageStopReason.BudgetExhausted, result.ContextBuilder.StopReason);
        Assert.True(result.Budget.ToolCostUsd > 0);
        Assert.Equal(model.Calls * 0.0012m, result.Budget.TokenCostUsd);
        Assert.True(result.ReportWriter.StopReason == StageStopReason.Completed, $"{result.ContextBuilder} {result.ReportWriter} {result.Budget} calls={model.Calls}");
        Assert.Contains("## Solar", fixture.Read(DeepResearchFiles.Report));
        Assert.True(result.Citations!.IsValid);
        Assert.True(result.Budget.TokenCostUsd + result.Budget.ToolCostUsd <= 0.04m, $"Spent {result.Budget.TokenCostUsd + result.Budget.ToolCostUsd}.");
    }

    [Fact]
    public async Task ModelFailureLosesNothingAndARerunResumes()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        fixture.Script.CompleteAtRound = 3;
        {
            var budget = NewBudget();
            var failing = new CallbackChatClient((messages, options) =>
                messages[1].Text.Contains("Current Round: 2 /", StringComparison.Ordinal) && messages.Count(m => m.Role == ChatRole.Tool) == 1
                    ? throw new HttpRequestException("429 Too Many Requests")
                    : fixture.Script.Respond(messages, options));
            var workflow = fixture.Create(failing, budget);
            await Assert.ThrowsAsync<HttpRequestException>(() => workflow.RunAsync(ResearchFixture.Question, CancellationToken.None));
        }

        var solar = fixture.Read("knowledge_base/energy/solar.md");
        var again = NewBudget();
        var result = await fixture.Create(again).Workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(new StageOutcome(DeepResearchStage.ContextBuilder, 1, 3, StageStopReason.Completed), result.ContextBuilder);
        Assert.Equal(solar, fixture.Read("knowledge_base/energy/solar.md"));
        Assert.True(result.IsComplete);
        Assert.Contains("## Solar", fixture.Read(DeepResearchFiles.Report));
        Assert.Contains("## Storage", fixture.Read(DeepResearchFiles.Report));
    }

    [Fact]
    public async Task RoundCapStopsTheBuilderAndAResumeDoesNotSpendAnotherRound()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        fixture.Script.CompleteAtRound = 99;
        var options = new DeepResearchOptions { MaxBuilderRounds = 2 };
        {
            var budget = NewBudget();
            var first = await fixture.Create(budget, options).Workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);
            Assert.Equal(new StageOutcome(DeepResearchStage.ContextBuilder, 2, 2, StageStopReason.RoundCap), first.ContextBuilder);
            Assert.True(first.IsComplete is false);
            Assert.True(first.Citations!.IsValid);
        }

        var again = NewBudget();
        var (workflow, model) = fixture.Create(again, options);
        var second = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(new StageOutcome(DeepResearchStage.ContextBuilder, 0, 2, StageStopReason.RoundCap), second.ContextBuilder);
        Assert.Equal(StageStopReason.AlreadyComplete, second.ReportWriter.StopReason);
        Assert.Equal(0, model.Calls);
    }

    [Fact]
    public async Task WholeReportCheckGetsARoundToFixDanglingCitations()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        fixture.Script.FirstDraftHasDanglingCitation = true;
        var budget = NewBudget();
        var (workflow, _) = fixture.Create(budget);

        var result = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(new StageOutcome(DeepResearchStage.ReportWriter, 4, 4, StageStopReason.Completed), result.ReportWriter);
        var checkRound = fixture.Rounds[^1].User;
        Assert.Contains("[99] is cited but has no entry under the References heading.", checkRound);
        Assert.DoesNotContain("[99]", fixture.Read(DeepResearchFiles.Report));
        Assert.True(result.Citations!.IsValid);
    }

    [Fact]
    public async Task ToolErrorsAndEscapeAttemptsBecomeToolResults()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        var budget = NewBudget();
        var seen = new List<string>();
        var model = new CallbackChatClient((messages, _) =>
        {
            var step = messages.Count(m => m.Role == ChatRole.Tool);
            if (step == 0 && messages[1].Text.Contains("Current Round: 1 / Total", StringComparison.Ordinal) && messages[0].Text.Contains("Context Builder", StringComparison.Ordinal))
            {
                return new ChatResponse(new ChatMessage(ChatRole.Assistant,
                [
                    new FunctionCallContent("1", "nope", new Dictionary<string, object?>()),
                    new FunctionCallContent("2", "files_read_file", new Dictionary<string, object?> { ["path"] = "../../etc/passwd" }),
                    new FunctionCallContent("3", "files_read_file", new Dictionary<string, object?> { ["path"] = "/etc/passwd" }),
                    new FunctionCallContent("4", "files_create_file", new Dictionary<string, object?> { ["path"] = "knowledge_base/sources/fake.md", ["content"] = "x" }),
                    new FunctionCallContent("5", "files_read_file", new Dictionary<string, object?>()),
                    new FunctionCallContent("6", "search", new Dictionary<string, object?> { ["queries"] = "not an array" }),
                    new FunctionCallContent("7", "files_create_file", new Dictionary<string, object?> { ["path"] = "task.md", ["content"] = "Another question?", ["overwrite"] = true }),
                    new FunctionCallContent("8", "files_create_file", new Dictionary<string, object?> { ["path"] = DeepResearchFiles.BudgetState, ["content"] = "{}", ["overwrite"] = true }),
                ]));
            }

            if (step == 1 && seen.Count == 0)
            {
                seen.AddRange(messages[^1].Contents.OfType<FunctionResultContent>().Select(r => r.Result?.ToString() ?? string.Empty));
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "[ALL COMPLETE]"));
        });
        var workflow = fixture.Create(model, budget, new DeepResearchOptions { MaxWriterRounds = 2 });

        var result = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(8, seen.Count);
        Assert.StartsWith("Error: 'task.md' is managed by the host and read-only", seen[6]);
        Assert.StartsWith("Error: 'budget_state.json' is managed by the host and read-only", seen[7]);
        Assert.Contains("\"InputTokens\": ", fixture.Read(DeepResearchFiles.BudgetState));
        Assert.Equal(ResearchFixture.Question + "\n", fixture.Read(DeepResearchFiles.Task));
        Assert.StartsWith("Error: there is no tool named 'nope'. Available tools: browse, files_append_file,", seen[0]);
        Assert.StartsWith("Error: '../../etc/passwd' uses '..'", seen[1]);
        Assert.StartsWith("Error: '/etc/passwd' is an absolute path", seen[2]);
        Assert.Contains("read-only source archive", seen[3]);
        Assert.StartsWith("Error: the tool 'files_read_file' failed:", seen[4]);
        Assert.Contains("'queries' argument", seen[5]);
        Assert.False(File.Exists(fixture.Full("knowledge_base/sources/fake.md")));

        // A final answer that is exactly the marker completes the builder; the writer hits its cap without an outline.
        Assert.Equal(StageStopReason.Completed, result.ContextBuilder.StopReason);
        Assert.EndsWith("[ALL COMPLETE]\n", fixture.Read(DeepResearchFiles.KnowledgeBaseLog));
        Assert.Equal(new StageOutcome(DeepResearchStage.ReportWriter, 2, 2, StageStopReason.RoundCap), result.ReportWriter);
        Assert.Null(result.Citations);
    }

    [Fact]
    public async Task ModelCallCapEndsARound()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        var budget = NewBudget();
        var model = new CallbackChatClient((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new FunctionCallContent(Guid.NewGuid().ToString("N"), "files_list_files", new Dictionary<string, object?>())])));
        var workflow = new DeepResearchWorkflow(model, fixture.Workspace, budget, [], new DeepResearchOptions { MaxBuilderRounds = 1, MaxWriterRounds = 2, MaxModelCallsPerRound = 3 });

        var result = await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(3 * 3, model.Calls);
        Assert.Equal(StageStopReason.RoundCap, result.ContextBuilder.StopReason);
    }

    [Fact]
    public async Task AnotherQuestionOnTheSameWorkspaceIsRefused()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        var budget = NewBudget();
        var (workflow, _) = fixture.Create(budget);
        await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => workflow.RunAsync("Something else?", CancellationToken.None));
        Assert.Contains("belongs to another question (see task.md)", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => workflow.RunAsync("  ", CancellationToken.None));
    }

    [Fact]
    public async Task CancellationStopsTheRunAndKeepsFiles()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        var budget = NewBudget();
        using var cts = new CancellationTokenSource();
        var (workflow, _) = fixture.Create(budget, onCall: messages =>
        {
            if (messages.Count(m => m.Role == ChatRole.Tool) == 3)
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => workflow.RunAsync(ResearchFixture.Question, cts.Token));

        Assert.True(File.Exists(fixture.Full("knowledge_base/energy/solar.md")));
        Assert.Contains("# Round 1", fixture.Read(DeepResearchFiles.KnowledgeBaseLog));
    }

    [Fact]
    public async Task InvalidConfigurationIsRejected()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        var budget = NewBudget();
        var model = new CallbackChatClient((_, _) => new ChatResponse());

        Assert.Contains("MaxBuilderRounds", Assert.Throws<ArgumentException>(() => new DeepResearchWorkflow(model, fixture.Workspace, budget, [], new DeepResearchOptions { MaxBuilderRounds = 0 })).Message);
        Assert.Contains("MaxWriterRounds", Assert.Throws<ArgumentException>(() => new DeepResearchOptions { MaxWriterRounds = 1 }.Validate()).Message);
        Assert.Contains("MaxToolResultChars", Assert.Throws<ArgumentException>(() => new DeepResearchOptions { MaxToolResultChars = 10 }.Validate()).Message);
        Assert.Contains("MaxParallelToolCalls", Assert.Throws<ArgumentException>(() => new DeepResearchOptions { MaxParallelToolCalls = 0 }.Validate()).Message);
        Assert.Contains("FileTools.ReadOnly", Assert.Throws<ArgumentException>(() => new DeepResearchOptions { FileTools = new FileSystemMemoryPluginOptions { ReadOnly = true } }.Validate()).Message);
        Assert.Contains("MaxReadLines", Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new DeepResearchOptions { FileTools = new FileSystemMemoryPluginOptions { MaxReadLines = 0 } }.Validate()).Message);
        var clash = AIFunctionFactory.Create(() => "x", "files_read_file");
        Assert.Contains("Two tools are named 'files_read_file'", Assert.Throws<ArgumentException>(() => new DeepResearchWorkflow(model, fixture.Workspace, budget, [clash])).Message);
        Assert.Throws<ArgumentNullException>(() => new DeepResearchWorkflow(null!, fixture.Workspace, budget, []));
        Assert.Throws<ArgumentNullException>(() => new DeepResearchWorkflow(model, null!, budget, []));
        Assert.Throws<ArgumentNullException>(() => new DeepResearchWorkflow(model, fixture.Workspace, null!, []));
    }
}
