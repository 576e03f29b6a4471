using Agents.Budget;
using Agents.Planners.DeepResearch;
using Agents.Planners.DeepResearch.TestHost;
using Agents.Plugins.Memory;
using Microsoft.Extensions.AI;

namespace Agents.AgentFramework.Tests.Workflows;

/// <summary>A workspace, a local web, web tools and a scripted model, wired into a workflow.</summary>
internal sealed class ResearchFixture : IAsyncDisposable
{
    public const string Question = "How is renewable energy capacity growing?";

    private ResearchFixture(LocalWeb web, string root)
    {
        Web = web;
        Root = root;
        Workspace = new MemoryWorkspace(new MemoryWorkspaceOptions { RootPath = root });
        Script = new ResearchScript(Workspace.RootPath);
        Http = new HttpClient();
    }

    public LocalWeb Web { get; }

    public string Root { get; }

    public MemoryWorkspace Workspace { get; }

    public ResearchScript Script { get; }

    public HttpClient Http { get; }

    public List<(string System, string User)> Rounds { get; } = [];

    public static async Task<ResearchFixture> StartAsync() =>
        new(await LocalWeb.StartAsync(), Path.Combine(Path.GetTempPath(), "agents-deepresearch-tests", Guid.NewGuid().ToString("N")));

    public string Full(string relative) => Path.Combine(Workspace.RootPath, relative);

    public string Read(string relative) => File.ReadAllText(Full(relative));

    public (DeepResearchWorkflow Workflow, CallbackChatClient Model) Create(BudgetTracker budget, DeepResearchOptions? options = null)
    {
        var model = new CallbackChatClient((messages, chatOptions) =>
        {
            if (messages.Count == 2)
            {
                lock (Rounds)
                {
                    Rounds.Add((messages[0].Text, messages[1].Text));
                }
            }

            return Script.Respond(messages, chatOptions);
        });
        var tools = new LocalWebTools(Http, Web.BaseUri, new SourceArchive(Workspace), TimeProvider.System).Create();
        return (new DeepResearchWorkflow(model, Workspace, budget, tools, options), model);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Workspace.Dispose();
        await Web.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
