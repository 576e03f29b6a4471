using Agents.Samples.Eval.App;
using Agents.Samples.OfflineWeb.Hosting;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>The Eval sample's offline web (<see cref="OfflineWebSetup"/>) in a temporary folder, with a work folder beside it.</summary>
internal sealed class OfflineWebScenario : IAsyncDisposable
{
    private readonly OfflineWebSetup _web;

    private OfflineWebScenario(OfflineWebSetup web, string root)
    {
        _web = web;
        Root = root;
    }

    public OfflineCorpus Corpus => _web.Corpus;

    public OfflineWebHost Host => _web.Host;

    public string Root { get; }

    public string PagesFolder => _web.PagesFolder;

    public string DatasetPath => _web.DatasetPath;

    public string WorkFolder => Path.Combine(Root, "work");

    public static async Task<OfflineWebScenario> StartAsync(int seed = 11, int questions = 4, int minHops = 2, int maxHops = 3)
    {
        string root = Directory.CreateTempSubdirectory("samples-e2e-").FullName;
        var web = await OfflineWebSetup.StartAsync(new OfflineWebOptions { Seed = seed, Questions = questions, MinHops = minHops, MaxHops = maxHops }, root);
        Directory.CreateDirectory(Path.Combine(root, "work"));
        return new OfflineWebScenario(web, root);
    }

    public async ValueTask DisposeAsync()
    {
        await _web.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
