using System.Text.Json;
using Agents.AgentFramework;
using Agents.AgentFramework.SessionHost;
using Agents.Budget;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

// Usage: <first|resume> <session file>
// first: runs one question on a fresh session and writes the serialized session to the file.
// resume: deserializes the session from the file into a fresh agent and tracker, runs a second question.
// Prints one RESULT line: the search units used by this process's tracker, units that ran here, and whether the
// model saw the first question.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: <first|resume> <session file>");
    return 2;
}

int ran = 0;
AIFunction search = AIFunctionFactory.Create(
    [BudgetCategory("search", UnitsArgument = "queries")] (string[] queries) =>
    {
        ran += queries.Length;
        return "Ada was born in 1950.";
    },
    "search");
var tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", 3));
var model = new SearchingModel();
AIAgent agent = model.AsAIAgent(instructions: "Answer.", tools: [search]).AsBuilder().UseBudgetTracker(tracker).Build();

AgentSession session = args[0] == "resume"
    ? await agent.DeserializeSessionAsync(JsonDocument.Parse(File.ReadAllText(args[1])).RootElement)
    : await agent.CreateSessionAsync();
string question = args[0] == "resume" ? "And who else?" : "Which physicist?";
AgentResponse response = await agent.RunAsync(question, session);
File.WriteAllText(args[1], JsonSerializer.Serialize(await agent.SerializeSessionAsync(session)));

bool sawFirst = model.Requests.Any(r => r.Any(m => m.Text.Contains("Which physicist?", StringComparison.Ordinal)));
string lastTool = response.Messages.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents).OfType<FunctionResultContent>().LastOrDefault()?.Result?.ToString() ?? string.Empty;
Console.WriteLine($"RESULT used={tracker.GetSnapshot().GetCategory("search")!.Used} ran={ran} sawFirst={sawFirst} refused={lastTool.Contains("not executed", StringComparison.Ordinal)}");
return 0;
