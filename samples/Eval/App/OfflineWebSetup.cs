using Agents.Samples.OfflineWeb.Export;
using Agents.Samples.OfflineWeb.Generation;
using Agents.Samples.OfflineWeb.Hosting;

namespace Agents.Samples.Eval.App;

/// <summary>
/// <c>--offline-web</c>: generates the synthetic web, serves it on loopback, writes its pages (with canonical links to the
/// live site) as the local index folder and its questions as the dataset.
/// </summary>
internal sealed class OfflineWebSetup : IAsyncDisposable
{
    private OfflineWebSetup(OfflineWebHost host, string pagesFolder, string datasetPath)
    {
        Host = host;
        PagesFolder = pagesFolder;
        DatasetPath = datasetPath;
    }

    public OfflineWebHost Host { get; }

    public string PagesFolder { get; }

    public string DatasetPath { get; }

    public static async Task<OfflineWebSetup> StartAsync(string outputFolder, int seed, int questions, CancellationToken cancellationToken)
    {
        var corpus = new OfflineWebGenerator(new OfflineWebOptions { Seed = seed, Questions = questions }).Generate();
        var host = await OfflineWebHost.StartAsync(corpus, null, cancellationToken).ConfigureAwait(false);
        try
        {
            string root = Path.Combine(outputFolder, "offline-web");
            string pages = Path.Combine(root, "pages");
            if (Directory.Exists(pages))
            {
                Directory.Delete(pages, recursive: true);
            }

            await OfflineCorpusWriter.WritePagesAsync(corpus, pages, host.BaseAddress, cancellationToken).ConfigureAwait(false);
            string dataset = Path.Combine(root, "questions.jsonl");
            await OfflineCorpusWriter.WriteQuestionsAsync(corpus, dataset, cancellationToken).ConfigureAwait(false);
            return new OfflineWebSetup(host, pages, dataset);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
