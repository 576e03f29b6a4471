using System.Globalization;
using Agents.Hosting;
using Agents.Samples.Common.Budgeting;
using Agents.Samples.Eval.App;
using Agents.Samples.Eval.Dataset;
using Agents.Samples.Eval.Grid;
using Agents.Samples.Eval.Report;
using Agents.Samples.OfflineWeb.Generation;

namespace Agents.PageSummary.Benchmarks;

/// <summary>
/// Generates the offline web with pages <c>--size</c> times today's size, serves it on 127.0.0.1 and indexes it as the
/// Eval sample's <c>--offline-web</c> does, then runs the Eval grid (ReAct + budget tracker, budgets per tool) twice over
/// the same questions: browse showing raw pages, and browse with the page summariser (the research toolset's default when
/// a model is configured). Both models are scripted; the agent's can only answer from text it was shown.
/// </summary>
internal static class SummaryBench
{
    private const string Raw = "raw-pages";
    private const string Summarised = "summarised-pages";
    private const string Today = "raw-pages-today";

    public static async Task<int> RunAsync(string[] args)
    {
        int questions = Int(args, "--questions", 20);
        int size = Int(args, "--size", 10);
        int seed = Int(args, "--seed", 42);
        int parallel = Int(args, "--parallel", 2);
        int[] budgets = [.. Value(args, "--budgets", "2,4,8,16").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))];
        var inv = CultureInfo.InvariantCulture;

        string root = Directory.CreateTempSubdirectory("page-summary-bench-").FullName;
        try
        {
            await using var web = await OfflineWebSetup.StartAsync(new OfflineWebOptions { Seed = seed, Questions = questions, PageSizeFactor = size }, Path.Combine(root, "web")).ConfigureAwait(false);
            var corpus = web.Corpus;
            string pages = web.PagesFolder;

            // Today's page size, for reference: the same seed gives the same entities, links and questions.
            await using var todayWeb = await OfflineWebSetup.StartAsync(new OfflineWebOptions { Seed = seed, Questions = questions }, Path.Combine(root, "web-today")).ConfigureAwait(false);
            var today = todayWeb.Corpus;
            string todayPages = todayWeb.PagesFolder;
            if (!today.Questions.Select(q => (q.Question, q.Answer)).SequenceEqual(corpus.Questions.Select(q => (q.Question, q.Answer))))
            {
                throw new InvalidOperationException("The page size changed the questions; the comparison would be unfair.");
            }

            double todayChars = today.Pages.Average(p => p.Text.Length);
            double bigChars = corpus.Pages.Average(p => p.Text.Length);
            Console.WriteLine(string.Create(inv, $"Offline web: seed {seed}, {corpus.Pages.Count} pages, {corpus.Questions.Count} questions; mean page text {todayChars:0} chars today, {bigChars:0} chars at --size {size} ({bigChars / todayChars:0.0}x)."));
            var answers = corpus.Questions.ToDictionary(q => q.Question, q => q.Answer, StringComparer.Ordinal);
            var prices = new PriceSpec(0.40m, 1.60m, null);
            var researcher = new ScriptedResearcher(answers);
            await using var raw = ResearchToolset.Create(Tools(pages, root, summarize: false), "bench");
            await using var rawToday = ResearchToolset.Create(Tools(todayPages, root, summarize: false), "bench");
            await using var summarised = ResearchToolset.Create(Tools(pages, root, summarize: true), "bench", model: new ResearchModel(new ScriptedReader(), "scripted-reader"));
            IEvalStrategy[] strategies =
            [
                new ScriptedStrategy(Raw, "react+budget", researcher, raw, prices),
                new ScriptedStrategy(Summarised, "react+budget", researcher, summarised, prices),
                new ScriptedStrategy(Today, "react+budget", researcher, rawToday, prices),
            ];
            var items = corpus.Questions.Select(q => new EvalItem(q.Id, q.Question, q.Answer)).ToList();
            await using var journal = await ResultsJournal.OpenAsync(Path.Combine(root, "results.jsonl")).ConfigureAwait(false);
            await new GridRunner(new GridRunnerOptions { MaxParallelism = parallel }).RunAsync(items, strategies, budgets, journal).ConfigureAwait(false);

            var results = journal.Results;
            var rows = EvalReport.Summarize(results);
            Console.WriteLine();
            Console.WriteLine(EvalReport.ToMarkdown(rows));
            Console.WriteLine("| Budget | Accuracy raw → summarised | Tokens per question raw → summarised (ratio) | Tokens per correct answer raw → summarised (ratio) | Cost-of-pass ratio |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            foreach (int budget in budgets)
            {
                Cell(results, Raw, budget, out double accRaw, out double perQRaw, out double perCorrectRaw, out double copRaw);
                Cell(results, Summarised, budget, out double accSum, out double perQSum, out double perCorrectSum, out double copSum);
                Console.WriteLine(string.Create(inv, $"| {budget} | {accRaw:P0} → {accSum:P0} | {perQRaw:0} → {perQSum:0} ({perQSum / perQRaw:0.00}x) | {Tokens(perCorrectRaw)} → {Tokens(perCorrectSum)} ({Ratio(perCorrectSum, perCorrectRaw)}) | {Ratio(copSum, copRaw)} |"));
            }

            Cell(results, Raw, null, out double allAccRaw, out double allPerQRaw, out double allPerCorrectRaw, out _);
            Cell(results, Summarised, null, out double allAccSum, out double allPerQSum, out double allPerCorrectSum, out _);
            Console.WriteLine(string.Create(inv, $"| all | {allAccRaw:P0} → {allAccSum:P0} | {allPerQRaw:0} → {allPerQSum:0} ({allPerQSum / allPerQRaw:0.00}x) | {Tokens(allPerCorrectRaw)} → {Tokens(allPerCorrectSum)} ({Ratio(allPerCorrectSum, allPerCorrectRaw)}) | |"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static ResearchToolsOptions Tools(string pages, string root, bool summarize) => new()
    {
        SearchProvider = "local",
        DocumentsFolder = pages,
        UseCanonicalLinks = true,
        AllowLoopback = true,
        Browser = "http",
        WorkspaceRoot = Path.Combine(root, "workspace"),
        SummarizePages = summarize,
    };

    /// <summary>Accuracy, tokens (in + out) per question and per correct answer, and cost-of-pass of one strategy (at one budget, or all).</summary>
    private static void Cell(IReadOnlyList<EvalResult> results, string strategy, int? budget, out double accuracy, out double perQuestion, out double perCorrect, out double costOfPass)
    {
        var rows = results.Where(r => r.Strategy == strategy && (budget is null || r.Budget == budget)).ToList();
        long tokens = rows.Sum(r => r.InputTokens + r.OutputTokens);
        int correct = rows.Count(r => r.Correct);
        accuracy = rows.Count == 0 ? 0 : (double)correct / rows.Count;
        perQuestion = rows.Count == 0 ? 0 : (double)tokens / rows.Count;
        perCorrect = correct == 0 ? double.PositiveInfinity : (double)tokens / correct;
        costOfPass = correct == 0 ? double.PositiveInfinity : (double)rows.Sum(r => r.CostUsd) / correct;
    }

    private static string Tokens(double value) => double.IsPositiveInfinity(value) ? "∞" : value.ToString("0", CultureInfo.InvariantCulture);

    private static string Ratio(double after, double before) =>
        double.IsPositiveInfinity(after) || double.IsPositiveInfinity(before) ? "n/a" : (after / before).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private static string Value(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    private static int Int(string[] args, string name, int fallback) => int.Parse(Value(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
