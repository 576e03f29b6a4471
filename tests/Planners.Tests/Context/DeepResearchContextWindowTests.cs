using Agents.Planners.Context;

namespace Agents.Planners.Tests.Context;

/// <summary>Both deep-research stages read many large texts in one round against a model that enforces its window.</summary>
public sealed class DeepResearchContextWindowTests : IDisposable
{
    private const int Window = 4096;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "agents-context-window-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, int> _callsPerRound = new(StringComparer.Ordinal);
    private string[]? _toRead;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static ChatResponse Call(string name, Dictionary<string, object?> arguments) => Reply.Tool(name, arguments);

    private ChatResponse Respond(ChatCall call)
    {
        string user = call.Messages.First(m => m.Role == ChatRole.User).Text;
        int n;
        lock (_callsPerRound)
        {
            n = _callsPerRound[user] = _callsPerRound.GetValueOrDefault(user) + 1;
        }

        bool builder = call.Options?.Tools?.Any(t => t.Name == "browse") == true;
        if (builder)
        {
            return n <= 6 ? Call("browse", new() { ["page"] = n }) : Reply.Text("Collected everything.\n[ALL COMPLETE]");
        }

        if (user.Contains("write report_outline.md", StringComparison.Ordinal))
        {
            return n == 1 ? Call("files_create_file", new() { ["path"] = "report_outline.md", ["content"] = "- [TODO] Pages\n" }) : Reply.Text("Done.");
        }

        string folder = Path.Combine(_root, DeepResearchFiles.ToolResults);
        string[] archived = _toRead ??= Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)] : [];
        if (n <= archived.Length)
        {
            return Call("files_read_file", new() { ["path"] = DeepResearchFiles.ToolResults + "/" + Path.GetFileName(archived[n - 1]) });
        }

        return n == archived.Length + 1
            ? Reply.Tools(
                string.Empty,
                ("files_create_file", new Dictionary<string, object?> { ["path"] = "report.md", ["content"] = "# Report\n\nPages were read.\n", ["overwrite"] = true }, "c-report"),
                ("files_create_file", new Dictionary<string, object?> { ["path"] = "report_outline.md", ["content"] = "- [COMPLETE] Pages\n", ["overwrite"] = true }, "c-outline"))
            : Reply.Text("Done.");
    }

    [Fact]
    public async Task BothStages_ManyLargePages_StayInTheWindow_AndCondensedPagesAreArchivedInTheWorkspace()
    {
        using var workspace = new MemoryWorkspace(new MemoryWorkspaceOptions { RootPath = _root });
        var inner = new ScriptedChatClient(Respond);
        var model = new WindowedChatClient(inner, Window);
        var budget = new BudgetTracker(new BudgetOptions().SetToolLimit("browse", 100));
        var options = new DeepResearchOptions { ContextWindow = new ContextWindow(Window) { CountTokens = WindowedChatClient.Words } };
        var workflow = new DeepResearchWorkflow(model, workspace, budget, [ContextWindowLoopTests.Browse(words: 600)], options);

        DeepResearchResult result = await workflow.RunAsync("What do the pages say?", CancellationToken.None);

        Assert.Equal(StageStopReason.Completed, result.ContextBuilder.StopReason);
        Assert.True(_toRead!.Length >= 3, $"{_toRead.Length} pages were condensed in the builder round");
        Assert.Equal(StageStopReason.Completed, result.ReportWriter.StopReason);
        Assert.True(model.MaxPromptTokens <= Window - options.ContextWindow.ReplyReserveTokens, $"prompt had {model.MaxPromptTokens} tokens");
        string[] archived = Directory.GetFiles(Path.Combine(_root, DeepResearchFiles.ToolResults));
        Assert.NotEmpty(archived);
        Assert.All(archived, f => Assert.Contains("word599", File.ReadAllText(f), StringComparison.Ordinal));
        Assert.Contains(inner.Calls, c => ContextWindowLoopTests.ToolText(c).Contains(DeepResearchFiles.ToolResults + "/", StringComparison.Ordinal));
        Assert.Contains(inner.Calls, c => c.Options?.Tools?.Any(t => t.Name == "browse") != true && ContextWindowLoopTests.ToolText(c).Contains("condensed", StringComparison.Ordinal));
    }
}
