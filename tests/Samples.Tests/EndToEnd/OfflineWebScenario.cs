using Agents.Samples.OfflineWeb.Hosting;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>The offline web served by Kestrel, its pages written (with canonical links to the live site) as a local index folder, and its questions as a dataset.</summary>
internal sealed class OfflineWebScenario : IAsyncDisposable
{
    private OfflineWebScenario(OfflineCorpus corpus, OfflineWebHost host, string root)
    {
        Corpus = corpus;
        Host = host;
        Root = root;
    }

    public OfflineCorpus Corpus { get; }

    public OfflineWebHost Host { get; }

    public string Root { get; }

    public string PagesFolder => Path.Combine(Root, "pages");

    public string DatasetPath => Path.Combine(Root, "questions.jsonl");

    public string WorkFolder => Path.Combine(Root, "work");

    public static async Task<OfflineWebScenario> StartAsync(int seed = 11, int questions = 4, int minHops = 2, int maxHops = 3)
    {
        var corpus = new OfflineWebGenerator(new OfflineWebOptions { Seed = seed, Questions = questions, MinHops = minHops, MaxHops = maxHops }).Generate();
        var host = await OfflineWebHost.StartAsync(corpus);
        string root = Directory.CreateTempSubdirectory("samples-e2e-").FullName;
        await OfflineCorpusWriter.WritePagesAsync(corpus, Path.Combine(root, "pages"), host.BaseAddress);
        await OfflineCorpusWriter.WriteQuestionsAsync(corpus, Path.Combine(root, "questions.jsonl"));
        Directory.CreateDirectory(Path.Combine(root, "work"));
        return new OfflineWebScenario(corpus, host, root);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
