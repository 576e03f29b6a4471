using System.Diagnostics;
using System.Text;
using Agents.Plugins.Browsing;
using Agents.Plugins.Security;
using Agents.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Agents.Plugins.Benchmarks;

/// <summary>Pages per second extracted by <c>browse</c> on local pages, 1 and 4 concurrent agents, Chromium and plain HTTP.</summary>
internal static class BrowseBench
{
    public static async Task RunAsync(string[] args)
    {
        var pagesPerAgent = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 40;
        var vocabulary = Corpus.Vocabulary(2_000, 3);
        await using var server = await LoopbackApp.StartAsync(app => app.Run(ctx => ServePage(ctx, vocabulary)));
        var baseAddress = server.BaseAddress;
        var access = new WebAccessOptions { AllowLoopback = true };

        Console.WriteLine($"{pagesPerAgent} distinct pages per agent, ~12 KB article + 30 links each, one URL per browse call");
        Console.WriteLine("fetcher          agents  pages  seconds  pages/s");
        var results = new Dictionary<(string, int), double>();
        await using (var browser = new PlaywrightBrowser())
        {
            // Warm up: start the browser and JIT the paths.
            await RunAgentsAsync(() => browser.CreateFetcherAsync(access).ContinueWith(t => (IPageFetcher)t.Result, TaskScheduler.Default), baseAddress, 1, 5, "warm");
            foreach (var agents in new[] { 1, 4 })
            {
                results[("chromium", agents)] = await RunAgentsAsync(async () => await browser.CreateFetcherAsync(access), baseAddress, agents, pagesPerAgent, "chromium");
            }
        }

        // Same, without waiting for network idle after the load event (static pages need no wait).
        await using (var browser = new PlaywrightBrowser(new PlaywrightBrowserOptions { NetworkIdleTimeout = TimeSpan.Zero }))
        {
            await RunAgentsAsync(() => browser.CreateFetcherAsync(access).ContinueWith(t => (IPageFetcher)t.Result, TaskScheduler.Default), baseAddress, 1, 5, "warm");
            foreach (var agents in new[] { 1, 4 })
            {
                results[("chromium-noidle", agents)] = await RunAgentsAsync(async () => await browser.CreateFetcherAsync(access), baseAddress, agents, pagesPerAgent, "chromium-noidle");
            }
        }

        using var http = new HttpPageFetcher(access: access);
        await RunAgentsAsync(() => Task.FromResult<IPageFetcher>(http), baseAddress, 1, 5, "warm-http");
        foreach (var agents in new[] { 1, 4 })
        {
            results[("http", agents)] = await RunAgentsAsync(() => Task.FromResult<IPageFetcher>(http), baseAddress, agents, pagesPerAgent, "http");
        }

        Console.WriteLine($"chromium 4 agents / 1 agent : {results[("chromium", 4)] / results[("chromium", 1)]:F2}x");
        Console.WriteLine($"chromium-noidle 4 / 1 agent : {results[("chromium-noidle", 4)] / results[("chromium-noidle", 1)]:F2}x");
        Console.WriteLine($"http     4 agents / 1 agent : {results[("http", 4)] / results[("http", 1)]:F2}x");
        Console.WriteLine($"http / chromium (1 agent)   : {results[("http", 1)] / results[("chromium", 1)]:F0}x");
        Console.WriteLine($"http / chromium-noidle (1)  : {results[("http", 1)] / results[("chromium-noidle", 1)]:F0}x");
    }

    private static async Task<double> RunAgentsAsync(Func<Task<IPageFetcher>> createFetcher, Uri baseAddress, int agents, int pagesPerAgent, string label)
    {
        var fetchers = new List<IPageFetcher>();
        for (var i = 0; i < agents; i++)
        {
            fetchers.Add(await createFetcher());
        }

        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(fetchers.Select((fetcher, agent) => Task.Run(async () =>
        {
            var plugin = new BrowserPlugin(fetcher);
            var read = 0;
            for (var p = 0; p < pagesPerAgent; p++)
            {
                var url = new Uri(baseAddress, $"{label}/a{agent}/p{p}.html").AbsoluteUri;
                var text = await plugin.BrowseAsync([url], "find the key facts");
                if (!text.Contains("<web_page", StringComparison.Ordinal) || !text.Contains("Links:", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("browse failed: " + text[..Math.Min(300, text.Length)]);
                }

                read++;
            }

            return read;
        })));
        watch.Stop();

        foreach (var fetcher in fetchers.OfType<IAsyncDisposable>())
        {
            await fetcher.DisposeAsync();
        }

        var pages = counts.Sum();
        var rate = pages / watch.Elapsed.TotalSeconds;
        if (!label.StartsWith("warm", StringComparison.Ordinal))
        {
            Console.WriteLine($"{label,-16} {agents,6} {pages,6} {watch.Elapsed.TotalSeconds,8:F2} {rate,8:F1}");
        }

        return rate;
    }

    private static Task ServePage(HttpContext ctx, string[] vocabulary)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var random = new Random(path.GetHashCode(StringComparison.Ordinal));
        var html = new StringBuilder("<!doctype html><html><head><title>")
            .Append(Corpus.Paragraph(random, vocabulary, 6)).Append("</title><style>body{font-family:sans-serif}</style></head><body><nav>");
        for (var i = 0; i < 30; i++)
        {
            html.Append("<a href=\"/link/").Append(i).Append(".html\">").Append(Corpus.Paragraph(random, vocabulary, 3)).Append("</a> ");
        }

        html.Append("</nav><article><h1>").Append(Corpus.Paragraph(random, vocabulary, 5)).Append("</h1>");
        for (var i = 0; i < 16; i++)
        {
            html.Append("<p>").Append(Corpus.Paragraph(random, vocabulary, 100)).Append("</p>");
        }

        html.Append("</article><footer>footer</footer></body></html>");
        ctx.Response.ContentType = "text/html; charset=utf-8";
        return ctx.Response.WriteAsync(html.ToString());
    }
}
