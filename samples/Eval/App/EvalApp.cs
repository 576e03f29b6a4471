using System.CommandLine;
using Agents.Hosting;
using Agents.Samples.Common.Models;
using Agents.Samples.Common.Searching;
using Agents.Samples.OfflineWeb.BrowseCompPlus;
using Agents.Samples.OfflineWeb.Generation;

namespace Agents.Samples.Eval.App;

/// <summary>The evaluation harness: strategies × budgets over a dataset, resumable results, report and plots.</summary>
internal static class EvalApp
{
    public const int ExitOk = 0;
    public const int ExitBadLines = 1;
    public const int ExitUsage = 2;
    public const int ExitModel = 3;
    public const int ExitCancelled = 130;

    public static Task<int> RunAsync(string[] args) =>
        ConsoleCancellation.RunAsync(token => RunAsync(args, Environment.GetEnvironmentVariable, token));

    /// <summary>The command line: the dataset, the grid, and the shared model and search options.</summary>
    internal static RootCommand Command()
    {
        var root = new RootCommand(
            "The evaluation harness: strategies × budgets over a dataset, resumable results, report and plots.\n"
            + "Usage: dotnet run --project samples/Eval -- (--dataset FILE | --offline-web | --corpus-documents FILE --corpus-queries FILE) [options]");
        Option[] options =
        [
            SampleCommandLine.Value("--dataset", "JSONL with id, question, answer per line (answer may be a list of accepted answers).", "FILE"),
            SampleCommandLine.Flag("--offline-web", "Generate the synthetic multi-hop web, serve it on 127.0.0.1 and use its questions."),
            SampleCommandLine.Value("--corpus-documents", "A BrowseComp-Plus-style corpus on disk: its documents become the local index.", "FILE"),
            SampleCommandLine.Value("--corpus-queries", "The corpus's queries; the answered ones become the dataset.", "FILE"),
            SampleCommandLine.Value("--corpus-answers", "The corpus's answers, when not in the queries file.", "FILE"),
            SampleCommandLine.Value("--seed", "The offline web's seed (default 42).", "N"),
            SampleCommandLine.Value("--questions", "The offline web's number of questions (default 20).", "N"),
            SampleCommandLine.Value("--out", "The results folder (default eval-results); rerunning with the same folder resumes.", "DIR"),
            SampleCommandLine.Value("--strategies", "Default react,react+budget,bats; also self-consistency, best-of-n, best-of-majority, first-finish, plan-and-budget.", "LIST"),
            SampleCommandLine.Value("--budgets", "Units per tool (search and browse), default 5,10,20.", "LIST"),
            SampleCommandLine.Value("--parallel", "Runs at once (default 2, at most 64).", "N"),
            SampleCommandLine.Value("--limit", "Only the first N questions.", "N"),
            SampleCommandLine.Flag("--report-only", "Rebuild report.md and the plots from the results, without a model."),
            SampleCommandLine.Value("--price", "Model prices in USD per million tokens (for the unified cost).", "input=..,output=.."),
            SampleCommandLine.Flag("--verbose", "Also log the libraries' messages to the console."),
            SampleCommandLine.Value("--cluster", "Cluster mode: redis://host:port. Workers with the same Redis and grid share its cells; each writes every row to its own --out (see docs/scale-out.md).", "REDIS"),
            SampleCommandLine.Value("--cluster-id", "The cluster's id; workers with the same id form one cluster (default agents-eval).", "ID"),
            SampleCommandLine.Value("--silo-port", "The port this worker's silo talks to the others on (default 11111).", "PORT"),
            SampleCommandLine.Value("--gateway-port", "The port cluster clients connect to (default 30000).", "PORT"),
            SampleCommandLine.Value("--advertise", "The address other workers reach this one at (default: this machine's address).", "IP"),
            SampleCommandLine.Value("--cell-lease", "Seconds a worker holds a cell before another may take it, renewed while it runs (default 120).", "SECONDS"),
        ];
        foreach (var option in options)
        {
            root.Options.Add(option);
        }

        root.AddModelAndSearchOptions();
        return root;
    }

    private static async Task<int> RunAsync(string[] args, Func<string, string?> env, CancellationToken cancellationToken)
    {
        ParseResult parsed;
        List<string> strategies;
        List<int> budgets;
        PriceSpec? prices;
        string outDir;
        int parallel;
        int seed;
        int questionCount;
        int limit;
        EvalClusterSettings? cluster;
        try
        {
            parsed = SampleCommandLine.Parse(Command(), args);
            if (SampleCommandLine.HelpOrErrors(parsed, args, Console.Out, Console.Error) is { } exit)
            {
                return exit;
            }

            outDir = Path.GetFullPath(parsed.Get("--out") ?? "eval-results");
            strategies = (parsed.Get("--strategies") ?? "react,react+budget,bats").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(AgentCatalog.Canonical).Distinct().ToList();
            budgets = ParseBudgets(parsed.Get("--budgets") ?? "5,10,20");
            parallel = parsed.GetPositiveInt("--parallel", 2);
            if (parallel > 64)
            {
                throw new CommandLineException($"--parallel must be at most 64, not {parallel}.");
            }

            questionCount = parsed.GetPositiveInt("--questions", 20);
            limit = parsed.GetPositiveInt("--limit", int.MaxValue);
            seed = 42;
            if (parsed.Get("--seed") is { } seedText && !int.TryParse(seedText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
            {
                throw new CommandLineException($"--seed expects a whole number, not '{seedText}'.");
            }
            prices = parsed.Get("--price") is { } p ? PriceSpec.Parse(p) : null;
            cluster = EvalClusterSettings.From(parsed);
            int sources = (parsed.Has("--offline-web") ? 1 : 0) + (parsed.Get("--dataset") is null ? 0 : 1) + (parsed.Get("--corpus-documents") is null ? 0 : 1);
            if (!parsed.Has("--report-only") && sources == 0)
            {
                throw new CommandLineException("Give the dataset with --dataset FILE (JSONL: id, question, answer), use --offline-web to generate one, or give a BrowseComp-Plus-style corpus with --corpus-documents FILE --corpus-queries FILE.");
            }

            if (sources > 1)
            {
                throw new CommandLineException("Give only one of --dataset, --offline-web and --corpus-documents.");
            }

            if ((parsed.Get("--corpus-documents") is null) != (parsed.Get("--corpus-queries") is null))
            {
                throw new CommandLineException("A BrowseComp-Plus-style corpus needs both --corpus-documents FILE and --corpus-queries FILE (and optionally --corpus-answers FILE).");
            }
        }
        catch (CommandLineException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitUsage;
        }

        string resultsPath = Path.Combine(outDir, "results.jsonl");
        if (parsed.Has("--report-only"))
        {
            await using var journal = await ResultsJournal.OpenAsync(resultsPath, cancellationToken).ConfigureAwait(false);
            ReportProblems(journal.Problems, "results");
            return WriteReport(journal.Results, outDir, ReadDatasetName(outDir) ?? Path.GetFileName(outDir)) ? ExitOk : ExitUsage;
        }

        using var telemetry = ResearchTelemetry.Start(new TelemetryOptions { Exporter = parsed.Get("--otel") ?? "none", ServiceName = "eval" }, "--otel");
        using var loggerFactory = parsed.Has("--verbose")
            ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information))
            : NullLoggerFactory.Instance;

        OfflineWebSetup? web = null;
        bool badCorpusLines = false;
        try
        {
            string datasetPath;
            string? indexFolder = null;
            if (parsed.Has("--offline-web"))
            {
                try
                {
                    web = await OfflineWebSetup.StartAsync(new OfflineWebOptions { Seed = seed, Questions = questionCount }, Path.Combine(outDir, "offline-web"), cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    Console.Error.WriteLine("error: --questions: " + ex.Message);
                    return ExitUsage;
                }

                datasetPath = web.DatasetPath;
                indexFolder = web.PagesFolder;
                Console.Out.WriteLine($"Offline web: {web.Host.BaseAddress} ({web.PagesFolder}); questions: {datasetPath}");
            }
            else if (parsed.Get("--corpus-documents") is { } documents)
            {
                BrowseCompPlusCorpus corpus;
                try
                {
                    corpus = await BrowseCompPlusLoader.LoadAsync(Path.GetFullPath(documents), Path.GetFullPath(parsed.Get("--corpus-queries")!), parsed.Get("--corpus-answers") is { } a ? Path.GetFullPath(a) : null, cancellationToken).ConfigureAwait(false);
                }
                catch (FileNotFoundException ex)
                {
                    Console.Error.WriteLine("error: " + ex.Message);
                    return ExitUsage;
                }

                ReportProblems(corpus.Problems, "corpus");
                string root = Path.Combine(outDir, "corpus");
                indexFolder = Path.Combine(root, "documents");
                if (Directory.Exists(indexFolder))
                {
                    Directory.Delete(indexFolder, recursive: true);
                }

                int written = await BrowseCompPlusLoader.WriteDocumentsAsync(corpus, indexFolder, cancellationToken).ConfigureAwait(false);
                datasetPath = Path.Combine(root, "dataset.jsonl");
                int answered = await BrowseCompPlusLoader.WriteDatasetAsync(corpus, datasetPath, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine($"Corpus: {written} documents in {indexFolder}; {answered} answered queries in {datasetPath}");
                if (corpus.Problems.Count > 0)
                {
                    badCorpusLines = true;
                }
            }
            else
            {
                datasetPath = Path.GetFullPath(parsed.Get("--dataset")!);
            }

            string datasetName = web is not null
                ? string.Create(CultureInfo.InvariantCulture, $"offline web (seed {seed}, {questionCount} questions)")
                : parsed.Get("--corpus-documents") is { } corpusDocuments
                    ? "corpus " + Path.GetFileNameWithoutExtension(corpusDocuments)
                    : Path.GetFileNameWithoutExtension(datasetPath);
            Directory.CreateDirectory(outDir);
            await File.WriteAllTextAsync(Path.Combine(outDir, DatasetNameFile), datasetName + "\n", cancellationToken).ConfigureAwait(false);

            EvalDataset dataset;
            try
            {
                dataset = await EvalDatasetReader.ReadAsync(datasetPath, cancellationToken).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                Console.Error.WriteLine($"error: the dataset file '{datasetPath}' does not exist. Give a JSONL file with one {{\"id\", \"question\", \"answer\"}} object per line.");
                return ExitUsage;
            }

            ReportProblems(dataset.Problems, "dataset");
            var items = dataset.Items.Take(limit).ToList();
            if (items.Count == 0)
            {
                Console.Error.WriteLine($"error: the dataset '{datasetPath}' has no usable questions.");
                return ExitUsage;
            }

            ModelSettings? model;
            SearchSettings search;
            try
            {
                model = ModelSettings.From(parsed, env);
                if (model is null)
                {
                    Console.Error.WriteLine(ModelSettings.NoModelHelp("the evaluation harness"));
                    return ExitUsage;
                }

                if (indexFolder is not null)
                {
                    if (parsed.Get("--index") is not null || (parsed.Get("--search") ?? "local") != "local")
                    {
                        throw new CommandLineException("--offline-web and --corpus-documents bring their own local index; leave out --index and --search.");
                    }

                    // The generated folder is the index; the offline web's pages link to the loopback site the browser must reach.
                    search = SearchSettings.From(SampleCommandLine.Parse(Command(), [.. args, "--index", indexFolder]), env);
                    search = search with { AllowLoopback = search.AllowLoopback || web is not null };
                }
                else
                {
                    search = SearchSettings.From(parsed, env);
                }
            }
            catch (CommandLineException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return ExitUsage;
            }

            var (stack, modelFailed) = await ResearchStack.TryCreateAsync(model, search, loggerFactory, Console.Error, "the agents", cancellationToken).ConfigureAwait(false);
            if (stack is null)
            {
                return modelFailed ? ExitModel : ExitUsage;
            }

            await using (stack.ConfigureAwait(false))
            {
                await using var journal = await ResultsJournal.OpenAsync(resultsPath, cancellationToken).ConfigureAwait(false);
                ReportProblems(journal.Problems, "results");
                var runner = new GridRunner(new GridRunnerOptions { MaxParallelism = parallel }, loggerFactory);
                int total = items.Count * strategies.Count * budgets.Count;
                int done = 0;
                EventHandler<EvalResult> print = (_, r) =>
                {
                    int n = Interlocked.Increment(ref done);
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[{n}] {r.Strategy} budget {r.Budget} {r.Id}: {(r.Correct ? "correct" : "wrong")} ({r.Status}, answer: {r.Answer ?? "none"}, ${r.CostUsd:0.0000}, {r.ToolUnits} units)"));
                };
                runner.ResultRecorded += print;
                Console.Out.WriteLine($"Grid: {items.Count} questions × {strategies.Count} strategies ({string.Join(", ", strategies)}) × budgets {string.Join(", ", budgets)} = {total} runs; results: {resultsPath}");
                var strategyObjects = strategies.Select(s => (IEvalStrategy)new PlannerStrategy(s, stack, prices, loggerFactory)).ToList();
                int exit = ExitOk;
                try
                {
                    if (cluster is not null)
                    {
                        string poolId = ClusterGridRunner.PoolId(datasetName, items, strategies, budgets);
                        await EvalCluster.RunAsync(cluster, poolId, runner, journal, items, strategyObjects, budgets, parallel, print, loggerFactory, Console.Out, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var summary = await runner.RunAsync(items, strategyObjects, budgets, journal, cancellationToken).ConfigureAwait(false);
                        Console.Out.WriteLine($"Done: {summary.Completed} run now, {summary.Skipped} already in {resultsPath}.");
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Console.Out.WriteLine($"Stopped by Ctrl+C. {journal.Results.Count} finished runs are in {resultsPath}; run the same command again to resume.");
                    exit = ExitCancelled;
                }
                catch (EvalAbortedException ex)
                {
                    Console.Error.WriteLine("error: " + ex.Message);
                    Console.Error.WriteLine($"{journal.Results.Count} finished runs are kept in {resultsPath}; fix the problem and run the same command again to resume.");
                    exit = ExitModel;
                }

                var inGrid = journal.Results.Where(r => strategies.Contains(r.Strategy) && budgets.Contains(r.Budget)).ToList();
                WriteReport(inGrid, outDir, datasetName);
                return exit != ExitOk ? exit : dataset.Problems.Count > 0 || badCorpusLines ? ExitBadLines : ExitOk;
            }
        }
        finally
        {
            if (web is not null)
            {
                await web.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static List<int> ParseBudgets(string text)
    {
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int b) || b < 1)
            {
                throw new CommandLineException($"--budgets: '{part}' is not a positive whole number. Example: --budgets 5,10,20,50");
            }

            list.Add(b);
        }

        return list.Count > 0 ? list.Distinct().Order().ToList() : throw new CommandLineException("--budgets is empty. Example: --budgets 5,10,20,50");
    }

    private static void ReportProblems(IReadOnlyList<Agents.Samples.OfflineWeb.Jsonl.JsonlProblem> problems, string what)
    {
        foreach (var p in problems)
        {
            Console.Error.WriteLine($"warning: skipped {what} line: {p}");
        }
    }

    /// <summary>The file in the results folder that names the dataset, so <c>--report-only</c> titles the report as the run did.</summary>
    private const string DatasetNameFile = "dataset-name.txt";

    private static string? ReadDatasetName(string outDir)
    {
        string path = Path.Combine(outDir, DatasetNameFile);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } name ? name : null;
    }

    private static bool WriteReport(IReadOnlyList<EvalResult> results, string outDir, string title)
    {
        if (results.Count == 0)
        {
            Console.Error.WriteLine($"No finished runs in {outDir} yet; nothing to report.");
            return false;
        }

        var rows = EvalReport.Summarize(results);
        string markdown = EvalReport.ToMarkdown(rows, $"Evaluation: {title}") + "\n" + EvalReport.FrontierMarkdown(rows);
        string reportPath = Path.Combine(outDir, "report.md");
        string budgetPlot = Path.Combine(outDir, "accuracy-vs-budget.png");
        string costPlot = Path.Combine(outDir, "accuracy-vs-cost.png");
        string htmlPath = Path.Combine(outDir, "report.html");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(reportPath + ".tmp", markdown + "\n![Accuracy vs budget](accuracy-vs-budget.png)\n\n![Accuracy vs cost](accuracy-vs-cost.png)\n");
        File.Move(reportPath + ".tmp", reportPath, overwrite: true);
        EvalPlots.WriteAccuracyVsBudget(rows, budgetPlot, datasetName: title);
        EvalPlots.WriteAccuracyVsCost(rows, costPlot, datasetName: title);
        string html = EvalReport.ToHtml(rows, $"Evaluation: {title}",
            [("accuracy-vs-budget.svg", "Accuracy vs budget, one line per strategy"), ("accuracy-vs-cost.svg", "Accuracy vs mean cost per question, with the Pareto frontier")]);
        File.WriteAllText(htmlPath + ".tmp", html);
        File.Move(htmlPath + ".tmp", htmlPath, overwrite: true);
        Console.Out.WriteLine();
        Console.Out.WriteLine(markdown);
        Console.Out.WriteLine($"Report: {reportPath} and {htmlPath}");
        Console.Out.WriteLine($"Plots: {budgetPlot}, {costPlot} (and .svg beside each)");
        return true;
    }
}
