using System.Text.RegularExpressions;
using Agents.Budget.Tests.Fakes;

namespace Agents.AgentFramework.Tests.Docs;

/// <summary>Runs the code block of docs/agent-framework.md as written, with a scripted model and search tool.</summary>
public sealed class AgentFrameworkDocTests
{
    // Split so that the markers occur once in this file: around the code the test runs.
    private const string Begin = "// --- docs/agent-framework.md" + ", verbatim ---";
    private const string End = "// --- end of docs/agent-framework.md" + " ---";

    [Fact]
    public async Task TheTenLineExample_RunsAsWritten_PausesAtTheLimit_AndAnswersAfterTheGrant()
    {
        int searched = 0;
        AIFunction search = AIFunctionFactory.Create(
            [BudgetCategory("search", UnitsArgument = "queries")] (string[] queries) =>
            {
                searched += queries.Length;
                return "X was founded by Ada.";
            },
            "search");
        var chatClient = new ScriptedChatClient((messages, options, turn) =>
            Script.AllToolResults(messages).Count(r => r.StartsWith("X was founded", StringComparison.Ordinal)) < 3 && options?.Tools is { Count: > 0 }
                ? Script.ToolCalls("search", 1, 2, 100, 10, turn)
                : Script.Answer("Ada founded X.", 100, 10));
        var console = new StringWriter();
        TextWriter original = Console.Out;
        Console.SetOut(console);
        BudgetTracker budget;
        try
        {
            // --- docs/agent-framework.md, verbatim ---
            budget = new BudgetTracker(new BudgetOptions { MaxCostUsd = 0.50m }.SetToolLimit("search", 4));
            AIAgent agent = chatClient.AsAIAgent(instructions: "Answer with sources.", tools: [search])
                .AsBuilder()
                .UseBudgetTracker(budget, o => o.AskForMoreUnits = 4)
                .Build();
            AgentSession session = await agent.CreateSessionAsync();
            AgentResponse response = await agent.RunAsync("Who founded X?", session);
            if (response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().FirstOrDefault() is { } ask)
                response = await agent.RunAsync(new ChatMessage(ChatRole.User, [ask.CreateResponse(approved: true)]), session);
            Console.WriteLine($"{response.Text}\n{budget.GetSnapshot()}");
            // --- end of docs/agent-framework.md ---
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(6, searched);
        Assert.Equal(8, budget.GetSnapshot().GetCategory("search")!.Limit);
        Assert.StartsWith("Ada founded X.", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("search", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDocsBlock_IsTheCodeThisTestRuns()
    {
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "agent-framework.md"));
        Match block = Regex.Match(docs, "```csharp\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "docs/agent-framework.md has no ```csharp block.");
        // CallerFilePath is mapped to /_/ in deterministic (CI) builds, so the file is found from the repository root.
        string test = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "AgentFramework.Tests", "Docs", "AgentFrameworkDocTests.cs"));
        int start = test.IndexOf(Begin, StringComparison.Ordinal) + Begin.Length;
        int end = test.IndexOf(End, start, StringComparison.Ordinal);

        // The test assigns the tracker declared outside its try block; otherwise the lines are identical.
        string ran = Normalize(test[start..end]).Replace("budget = new BudgetTracker(", "var budget = new BudgetTracker(", StringComparison.Ordinal);
        Assert.Equal(Normalize(block.Groups["code"].Value), ran);
    }

    private static string Normalize(string code) =>
        string.Join("\n", code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Agents.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Agents.sln above {AppContext.BaseDirectory}.");
    }
}
