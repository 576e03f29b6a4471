using Agents.Budget;
using Agents.Planners.DeepResearch;
using Agents.Planners.DeepResearch.TestHost;
using Agents.Plugins.Memory;
using Microsoft.Extensions.AI;

namespace Agents.Planners.Tests.DeepResearch;

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

    /// <summary>
    /// A workflow on the scripted model, which records each stage round's prompts and first hands every call to
    /// <paramref name="onCall"/> (to cancel a run at a chosen call, or to count calls).
    /// </summary>
    public (DeepResearchWorkflow Workflow, CallbackChatClient Model) Create(
        BudgetTracker budget, DeepResearchOptions? options = null, Action<IReadOnlyList<ChatMessage>>? onCall = null)
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

            onCall?.Invoke(messages);
            return Script.Respond(messages, chatOptions);
        });
        return (Create(model, budget, options), model);
    }

    /// <summary>A workflow on the workspace and the local web's tools that asks <paramref name="model"/>.</summary>
    public DeepResearchWorkflow Create(IChatClient model, BudgetTracker budget, DeepResearchOptions? options = null) =>
        new(model, Workspace, budget, WebTools(), options);

    /// <summary>The web tools on the local web, archiving the pages they read into the workspace.</summary>
    public IReadOnlyList<AIFunction> WebTools() =>
        new LocalWebTools(Http, Web.BaseUri, new SourceArchive(Workspace), TimeProvider.System).Create();

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
