using Agents.Samples.OfflineWeb.Export;
using Agents.Samples.OfflineWeb.Generation;
using Agents.Samples.OfflineWeb.Hosting;
using Agents.Samples.OfflineWeb.World;

namespace Agents.Samples.Eval.App;

/// <summary>
/// A generated offline web served on loopback, with its pages written (with canonical links to the live site) as a local
/// index folder and its questions as a dataset: <c>--offline-web</c>, the end-to-end tests and the page-summary benchmark.
/// </summary>
public sealed class OfflineWebSetup : IAsyncDisposable
{
    private OfflineWebSetup(OfflineCorpus corpus, OfflineWebHost host, string pagesFolder, string datasetPath)
    {
        Corpus = corpus;
        Host = host;
        PagesFolder = pagesFolder;
        DatasetPath = datasetPath;
    }

    /// <summary>The generated web.</summary>
    public OfflineCorpus Corpus { get; }

    /// <summary>The server of its pages.</summary>
    public OfflineWebHost Host { get; }

    /// <summary>The pages as HTML files (<c>pages</c> in the folder).</summary>
    public string PagesFolder { get; }

    /// <summary>The questions as JSONL (<c>questions.jsonl</c> in the folder).</summary>
    public string DatasetPath { get; }

    /// <summary>Generates the web of <paramref name="options"/>, serves it, and writes its pages (replacing any there) and questions into <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidOperationException">The requested number of unique questions cannot be made from a web this small.</exception>
    public static async Task<OfflineWebSetup> StartAsync(OfflineWebOptions options, string folder, CancellationToken cancellationToken = default)
    {
        var corpus = new OfflineWebGenerator(options).Generate();
        var host = await OfflineWebHost.StartAsync(corpus, null, cancellationToken).ConfigureAwait(false);
        try
        {
            string pages = Path.Combine(folder, "pages");
            if (Directory.Exists(pages))
            {
                Directory.Delete(pages, recursive: true);
            }

            await OfflineCorpusWriter.WritePagesAsync(corpus, pages, host.BaseAddress, cancellationToken).ConfigureAwait(false);
            string dataset = Path.Combine(folder, "questions.jsonl");
            await OfflineCorpusWriter.WriteQuestionsAsync(corpus, dataset, cancellationToken).ConfigureAwait(false);
            return new OfflineWebSetup(corpus, host, pages, dataset);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
