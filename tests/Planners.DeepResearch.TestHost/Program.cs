using Agents.Budget;
using Agents.Planners.DeepResearch;
using Agents.Planners.DeepResearch.TestHost;
using Agents.Plugins.Memory;

// Usage: <workspace> <web base url> [complete-at-round] [hang-in-writer-round]
// Runs (or resumes) the deep-research workflow with the scripted model and prints one RESULT line.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: <workspace> <web base url> [complete-at-round]");
    return 2;
}

using var workspace = new MemoryWorkspace(new MemoryWorkspaceOptions { RootPath = args[0] });
var budget = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 20).SetToolLimit("browse", 40));
using var http = new HttpClient();
var script = new ResearchScript(workspace.RootPath)
{
    CompleteAtRound = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3,
    HangInWriterRound = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0,
    OnHang = () =>
    {
        Console.WriteLine("HANG");
        Console.Out.Flush();
    },
};
var tools = new LocalWebTools(http, new Uri(args[1]), new SourceArchive(workspace), TimeProvider.System).Create();
var workflow = new DeepResearchWorkflow(new CallbackChatClient(script.Respond), workspace, budget, tools);
var result = await workflow.RunAsync("How is renewable energy capacity growing?", CancellationToken.None);
Console.WriteLine($"RESULT builder={result.ContextBuilder.StopReason}/{result.ContextBuilder.RoundsRun} writer={result.ReportWriter.StopReason}/{result.ReportWriter.RoundsRun} citations={result.Citations?.IsValid}"
    + $" search={result.Budget.GetCategory("search")!.Used} browse={result.Budget.GetCategory("browse")!.Used} input={result.Budget.InputTokens}");
return result.IsComplete ? 0 : 1;
