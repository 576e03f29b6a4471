namespace Agents.Planners.Tests.DeepResearch;

public sealed class HostFileProtectionTests
{
    [Fact]
    public async Task HostFiles_CannotBecomeFolders_AndToolErrorsNeverShowTheWorkspaceRoot()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        string root = fixture.Workspace.RootPath;
        var budget = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 20).SetToolLimit("browse", 40));
        var seen = new List<string>();
        (string Tool, Dictionary<string, object?> Arguments)[] attempts =
        [
            ("files_create_file", new() { ["path"] = "budget_state.json/x.md", ["content"] = "x" }),
            ("files_create_file", new() { ["path"] = "Budget_State.json/deeper/x.md", ["content"] = "x" }),
            ("files_append_file", new() { ["path"] = "report_log.md/notes.md", ["content"] = "x" }),
            ("files_create_file", new() { ["path"] = "report.md/draft.md", ["content"] = "x" }),
            ("files_create_file", new() { ["path"] = "task.md/x.md", ["content"] = "x" }),
            ("files_create_file", new() { ["path"] = "index.md/more.md", ["content"] = "x" }),
            ("files_read_file", new() { ["path"] = root + "/task.md" }),
            ("files_read_file", new() { ["path"] = root + "/../elsewhere.md" }),
            ("files_create_file", new() { ["path"] = new string('n', 300) + ".md", ["content"] = "x" }),
            ("files_create_file", new() { ["path"] = "notes/" + new string('d', 300) + "/x.md", ["content"] = "x" }),
            ("files_grep", new() { ["pattern"] = root + "(", ["path"] = "." }),
            ("files_list_files", new() { ["path"] = root }),
        ];
        var model = new CallbackChatClient((messages, _) =>
        {
            int step = messages.Count(m => m.Role == ChatRole.Tool);
            if (step == 0 && messages[0].Text.Contains("Context Builder", StringComparison.Ordinal) && seen.Count == 0)
            {
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, [.. attempts.Select((a, i) => (AIContent)new FunctionCallContent($"c{i}", a.Tool, a.Arguments))]));
            }

            if (step == 1 && seen.Count == 0)
            {
                seen.AddRange(messages[^1].Contents.OfType<FunctionResultContent>().Select(r => r.Result?.ToString() ?? string.Empty));
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "[ALL COMPLETE]"));
        });
        var workflow = fixture.Create(model, budget, new DeepResearchOptions { MaxWriterRounds = 2 });

        await workflow.RunAsync(ResearchFixture.Question, CancellationToken.None);

        Assert.Equal(attempts.Length, seen.Count);
        Assert.All(seen, r => Assert.StartsWith("Error: ", r, StringComparison.Ordinal));
        Assert.All(seen, r => Assert.DoesNotContain(root, r, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("nothing can be created below it", seen[0], StringComparison.Ordinal);
        Assert.Contains("nothing can be created below it", seen[2], StringComparison.Ordinal);
        Assert.Contains("'task.md'", seen[6], StringComparison.Ordinal);

        // The host's own writes went through: its files are files, not folders.
        Assert.True(File.Exists(fixture.Full(DeepResearchFiles.BudgetState)));
        Assert.Contains("\"InputTokens\": ", fixture.Read(DeepResearchFiles.BudgetState));
        Assert.True(File.Exists(fixture.Full(DeepResearchFiles.ReportLog)));
        Assert.False(Directory.Exists(fixture.Full(DeepResearchFiles.BudgetState)));
        Assert.False(Directory.Exists(fixture.Full(DeepResearchFiles.ReportLog)));
        Assert.False(Directory.Exists(fixture.Full(DeepResearchFiles.Report)));
    }

    [Fact]
    public async Task BrokenBudgetState_ErrorNamesTheFileWithoutTheWorkspaceRoot()
    {
        await using var fixture = await ResearchFixture.StartAsync();
        await fixture.Workspace.WriteTextAsync(DeepResearchFiles.BudgetState, "{ not json", CancellationToken.None);
        var budget = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 20).SetToolLimit("browse", 40));
        var (workflow, _) = fixture.Create(budget);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => workflow.RunAsync(ResearchFixture.Question, CancellationToken.None));

        Assert.Contains("'budget_state.json'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Workspace.RootPath, error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
