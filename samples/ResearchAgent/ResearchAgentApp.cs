using System.CommandLine;
using Agents.Planners.DeepResearch;
using Agents.Plugins.Memory;
using Agents.Samples.Common.Budgeting;
using Agents.Samples.Common.Models;
using Agents.Samples.Common.Searching;
using Agents.Samples.ResearchAgent.Asking;
using Spectre.Console;

namespace Agents.Samples.ResearchAgent;

/// <summary>The console research agent: parses the command line, builds the stack, runs QA or report mode with live progress.</summary>
internal static class ResearchAgentApp
{
    public const int ExitOk = 0;
    public const int ExitNoAnswer = 1;
    public const int ExitUsage = 2;
    public const int ExitModel = 3;
    public const int ExitCancelled = 130;

    /// <summary>The command line: the question, the shared model and search options, and the run options.</summary>
    internal static RootCommand Command()
    {
        var root = new RootCommand(
            "The research agent: answers a question (--mode qa) or researches a topic into a cited report.md (--mode report), "
            + "spending a budget of searches, page reads, tokens, money and time.\n"
            + "Usage: dotnet run --project samples/ResearchAgent -- \"question or topic\" [options]");
        root.Arguments.Add(new Argument<string[]>("question") { Description = "The question or topic, in quotes.", Arity = ArgumentArity.ZeroOrMore });
        root.AddModelAndSearchOptions();
        root.Options.Add(SampleCommandLine.Value("--mode", "qa: answer a question (default); report: deep research into report.md.", "qa|report"));
        root.Options.Add(SampleCommandLine.Value("--strategy", "The QA agent: bats (default), react, react+budget, self-consistency, best-of-n, best-of-majority, first-finish, plan-and-budget.", "NAME"));
        root.Options.Add(SampleCommandLine.Value("--budget", "The budget; keys search, browse, usd, input_tokens, output_tokens, time (default " + BudgetFactory.DefaultBudget + ").", "search=20,browse=20,usd=0.50"));
        root.Options.Add(SampleCommandLine.Value("--price", "Model prices in USD per million tokens (for the cost).", "input=0.15,output=0.60"));
        root.Options.Add(SampleCommandLine.Value("--workspace", "Report mode: the research folder (resumable; default research/<topic>); QA mode: where answer.json goes.", "DIR"));
        root.Options.Add(SampleCommandLine.Flag("--plain", "Line-by-line progress instead of the live display."));
        root.Options.Add(SampleCommandLine.Flag("--verbose", "Also log the libraries' messages to the console."));
        root.Options.Add(SampleCommandLine.Flag("--framework", "QA mode through the Microsoft Agent Framework: the strategy as an AIAgent (react and react+budget: a ChatClientAgent with the budget middleware), run with RunStreamingAsync in an AgentSession."));
        root.Options.Add(SampleCommandLine.Value("--session", "With --framework: the AgentSession file; loaded when it exists (the conversation and the budget spent go on), saved after the run.", "FILE"));
        root.Options.Add(SampleCommandLine.Value("--ask-for-more", "QA mode, every strategy, with or without --framework: when a search or browse budget is spent, pause the run and ask on the console whether to continue with N more units (y/N; default: never ask); progress is then shown line by line. Not in report mode: its stages spend child budgets, which cannot ask.", "N"));
        return root;
    }

    public static Task<int> RunAsync(string[] args) =>
        ConsoleCancellation.RunAsync(token => RunAsync(args, Environment.GetEnvironmentVariable, token));

    private static async Task<int> RunAsync(string[] args, Func<string, string?> env, CancellationToken cancellationToken)
    {
        ParseResult parsed;
        ModelSettings? model;
        SearchSettings search;
        BudgetSpec budget;
        PriceSpec? prices;
        string mode;
        string strategy;
        string question;
        FrameworkSettings? framework;
        int? askForMore;
        try
        {
            parsed = SampleCommandLine.Parse(Command(), args);
            if (SampleCommandLine.HelpOrErrors(parsed, args, Console.Out, Console.Error) is { } exit)
            {
                return exit;
            }

            question = string.Join(' ', parsed.GetValue<string[]>("question") ?? []).Trim();
            if (question.Length == 0)
            {
                throw new CommandLineException("Give the question or topic as the first argument, in quotes. Run with --help to see the options.");
            }

            mode = (parsed.Get("--mode") ?? "qa").Trim().ToLowerInvariant();
            if (mode is not ("qa" or "report"))
            {
                throw new CommandLineException($"--mode: unknown mode '{mode}'.{Suggestions.DidYouMean(mode, ["qa", "report"])} Choose qa (answer a question) or report (deep research into report.md).");
            }

            strategy = AgentCatalog.Canonical(parsed.Get("--strategy") ?? "bats");
            budget = BudgetSpec.Parse(parsed.Get("--budget") ?? BudgetFactory.DefaultBudget);
            prices = parsed.Get("--price") is { } p ? PriceSpec.Parse(p) : null;
            model = ModelSettings.From(parsed, env);
            string? searchProblem = null;
            try
            {
                search = SearchSettings.From(parsed, env);
            }
            catch (CommandLineException ex) when (model is null)
            {
                // Name this together with the missing model, so a first run learns everything it needs at once.
                searchProblem = ex.Message;
                search = null!;
            }

            if (model is null)
            {
                Console.Error.WriteLine(FirstRunHelp.Missing(ModelSettings.NoModelHelp("the research agent"), searchProblem));
                return ExitUsage;
            }

            askForMore = parsed.Get("--ask-for-more") is null ? null : parsed.GetPositiveInt("--ask-for-more", 1);
            framework = FrameworkSettings.From(parsed, mode, strategy, askForMore);
            if (askForMore is not null && mode != "qa")
            {
                throw new CommandLineException("--ask-for-more works in QA mode only: report mode's Context Builder and Report Writer spend child budgets of the run's budget, and a child budget cannot ask for more. Leave out --ask-for-more, or give a larger --budget.");
            }
        }
        catch (CommandLineException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitUsage;
        }

        // The run's tracker asks (every strategy but the framework's ChatClientAgent, which asks between its runs): the
        // question is asked while the run goes on, so the progress is shown line by line around it.
        bool asksInRun = askForMore is not null && framework?.UsesChatClientAgent != true;
        bool plain = parsed.Has("--plain") || Console.IsOutputRedirected || asksInRun;
        using var telemetry = ResearchTelemetry.Start(new TelemetryOptions { Exporter = parsed.Get("--otel") ?? "none", ServiceName = "research-agent" }, "--otel");
        var state = new ProgressState();
        using var loggerFactory = LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(LogLevel.Information);
            b.AddProvider(new StepLoggerProvider(state));
            if (parsed.Has("--verbose"))
            {
                b.AddSimpleConsole(o => o.SingleLine = true);
            }
        });

        var (stack, modelFailed) = await ResearchStack.TryCreateAsync(model, search, loggerFactory, Console.Error, "the agent", cancellationToken).ConfigureAwait(false);
        if (stack is null)
        {
            return modelFailed ? ExitModel : ExitUsage;
        }

        await using (stack.ConfigureAwait(false))
        {
            var onExhaustion = mode == "qa" ? ExhaustionBehavior.FinalAnswerWithoutTools : ExhaustionBehavior.Terminate;
            var options = BudgetFactory.CreateOptions(budget, prices, onExhaustion);
            using var approver = asksInRun ? new ConsoleBudgetApprover(Console.In, Console.Out, Console.IsInputRedirected, state) : null;
            if (approver is not null)
            {
                options.ExtensionApprover = approver;
                options.AskForMoreUnits = askForMore;
            }

            var tracker = new BudgetTracker(options, TimeProvider.System, loggerFactory);
            approver?.ShowReceipts(tracker);
            tracker.Charged += (_, e) =>
            {
                state.AddTool($"{e.FunctionName ?? e.Category}: {e.Units} {e.Category} unit(s), {e.Used}{(e.Limit is { } l ? "/" + l.ToString(CultureInfo.InvariantCulture) : string.Empty)} used");
                state.SetBudget(tracker.GetSnapshot());
            };
            state.SetBudget(tracker.GetSnapshot());
            string title = $"{(mode == "qa" ? strategy : "deep research")} · {stack.Model.DisplayName} · search: {search.Provider}";
            Console.Out.WriteLine($"Question: {question}");
            Console.Out.WriteLine($"Model: {stack.Model.DisplayName}; search: {search.Provider}; budget: {budget}; mode: {mode}");
            if (approver is not null)
            {
                Console.Out.WriteLine($"Asking: when a search or browse budget is spent, the console asks whether to continue with {askForMore} more unit(s).");
            }

            if (framework is not null)
            {
                return await FrameworkQa.RunAsync(stack, tracker, framework, question, parsed.Get("--workspace"), state, plain, title, loggerFactory, cancellationToken).ConfigureAwait(false);
            }

            return mode == "qa"
                ? await RunQaAsync(stack, tracker, strategy, question, parsed.Get("--workspace"), state, plain, title, loggerFactory, cancellationToken).ConfigureAwait(false)
                : await RunReportAsync(stack, tracker, question, parsed.Get("--workspace"), state, plain, title, loggerFactory, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunQaAsync(
        ResearchStack stack, BudgetTracker tracker, string strategy, string question, string? workspace, ProgressState state, bool plain, string title, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var agent = AgentCatalog.Create(strategy, stack.ChatClient, stack.CreateWebTools(), tracker, TimeProvider.System, loggerFactory);
        void OnEvent(AgentRunEvent e)
        {
            switch (e)
            {
                case AttemptStartedEvent a:
                    state.SetStep($"attempt {a.Attempt}");
                    break;
                case ModelRespondedEvent m:
                    state.SetStep(m.ToolCalls.Count > 0 ? $"{m.Purpose}: calling {string.Join(", ", m.ToolCalls)}" : $"{m.Purpose}: {m.Text}");
                    break;
                case ToolCalledEvent t:
                    state.AddTool($"{t.Call.Name}({ArgumentsText(t.Call.Arguments)}){(t.Call.Executed ? string.Empty : " refused")}");
                    break;
                case BudgetChangedEvent b:
                    state.SetBudget(b.Snapshot);
                    break;
                case VerificationCompletedEvent v:
                    state.SetStep($"verification of attempt {v.Attempt}: {v.Report.Decision}");
                    break;
                case AnswerProposedEvent p:
                    state.SetStep($"proposed answer: {p.Answer}");
                    break;
            }
        }

        var result = await ShowProgressAsync(state, plain, title, () => agent.RunAsync(new AgentRunRequest(question), OnEvent, cancellationToken)).ConfigureAwait(false);
        var snapshot = tracker.GetSnapshot();
        if (workspace is not null)
        {
            await WriteQaWorkspaceAsync(workspace, result, snapshot).ConfigureAwait(false);
        }

        if (stack.Monitor.Failure is { } failure)
        {
            Console.Error.WriteLine("error: " + failure.Message);
            PrintCost(snapshot, plain);
            return ExitModel;
        }

        switch (result.Status)
        {
            case AgentRunStatus.Answered when Agents.Planners.Grading.AnswerNormalizer.IsNoAnswer(result.Answer):
                Console.Out.WriteLine($"No answer: the agent found none ({result.StatusReason})");
                PrintCost(snapshot, plain);
                return ExitNoAnswer;
            case AgentRunStatus.Answered:
                Console.Out.WriteLine($"Answer: {result.Answer}");
                Console.Out.WriteLine($"Status: answered ({result.StatusReason})");
                PrintCost(snapshot, plain);
                return ExitOk;
            case AgentRunStatus.Cancelled:
                Console.Out.WriteLine("Stopped by Ctrl+C before an answer.");
                PrintCost(snapshot, plain);
                return ExitCancelled;
            default:
                Console.Out.WriteLine($"No answer: {result.Status} ({result.StatusReason})");
                PrintCost(snapshot, plain);
                return ExitNoAnswer;
        }
    }

    private static async Task<int> RunReportAsync(
        ResearchStack stack, BudgetTracker tracker, string question, string? workspaceOption, ProgressState state, bool plain, string title, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        string root = Path.GetFullPath(workspaceOption ?? Path.Combine("research", Slug(question)));
        Directory.CreateDirectory(root);
        Console.Out.WriteLine($"Workspace: {root}");
        using var workspace = new MemoryWorkspace(new MemoryWorkspaceOptions { RootPath = root }, TimeProvider.System, loggerFactory);
        var archive = new SourceArchive(workspace, loggerFactory);
        DeepResearchWorkflow workflow;
        try
        {
            workflow = new DeepResearchWorkflow(stack.ChatClient, workspace, tracker, stack.CreateWebTools(archive), new DeepResearchOptions(), TimeProvider.System, loggerFactory);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitUsage;
        }

        DeepResearchResult result;
        try
        {
            result = await ShowProgressAsync(state, plain, title, () => workflow.RunAsync(question, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Out.WriteLine($"Stopped by Ctrl+C. Everything written so far is in {root}; run the same command again to resume.");
            PrintCost(tracker.GetSnapshot(), plain);
            return ExitCancelled;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitUsage;
        }
        catch (Exception ex) when (stack.Monitor.Failure is not null)
        {
            Console.Error.WriteLine("error: " + stack.Monitor.Failure!.Message);
            Console.Error.WriteLine($"The workspace {root} is kept; fix the model settings and run the same command again to resume. ({ex.GetType().Name})");
            return ExitModel;
        }

        if (stack.Monitor.Failure is { } failure)
        {
            Console.Error.WriteLine("error: " + failure.Message);
            Console.Error.WriteLine($"The workspace {root} is kept; run the same command again to resume.");
            PrintCost(result.Budget, plain);
            return ExitModel;
        }

        Console.Out.WriteLine($"Context builder: {result.ContextBuilder.StopReason} after round {result.ContextBuilder.LastRound}; report writer: {result.ReportWriter.StopReason} after round {result.ReportWriter.LastRound}.");
        if (!File.Exists(result.ReportPath))
        {
            Console.Out.WriteLine($"No report was written. The workspace {root} is kept; run the same command again (with a larger --budget) to go on.");
            PrintCost(result.Budget, plain);
            return ExitNoAnswer;
        }

        Console.Out.WriteLine($"Report: {result.ReportPath}");
        if (result.Citations is { } c)
        {
            Console.Out.WriteLine(c.IsValid ? "Citations: all resolve to archived sources." : $"Citations: {c}");
        }

        PrintCost(result.Budget, plain);
        return ExitOk;
    }

    internal static async Task<T> ShowProgressAsync<T>(ProgressState state, bool plain, string title, Func<Task<T>> run)
    {
        if (plain)
        {
            string last = string.Empty;
            int lastTools = 0;
            void Print(object? sender, EventArgs e)
            {
                var (step, tools, toolCalls, _) = state.Read();
                lock (state)
                {
                    if (step != last)
                    {
                        last = step;
                        Console.Out.WriteLine("step: " + ProgressRenderer.Trim(step, 200));
                    }

                    if (toolCalls != lastTools && tools.Count > 0)
                    {
                        lastTools = toolCalls;
                        Console.Out.WriteLine("tool: " + ProgressRenderer.Trim(tools[^1], 200));
                    }
                }
            }

            state.Changed += Print;
            try
            {
                return await run().ConfigureAwait(false);
            }
            finally
            {
                state.Changed -= Print;
            }
        }

        T result = default!;
        await AnsiConsole.Live(ProgressRenderer.Render(state, title)).AutoClear(false).StartAsync(async ctx =>
        {
            void Refresh(object? sender, EventArgs e) => ctx.UpdateTarget(ProgressRenderer.Render(state, title));
            state.Changed += Refresh;
            try
            {
                result = await run().ConfigureAwait(false);
            }
            finally
            {
                state.Changed -= Refresh;
                ctx.UpdateTarget(ProgressRenderer.Render(state, title));
            }
        }).ConfigureAwait(false);
        return result;
    }

    internal static void PrintCost(BudgetSnapshot budget, bool plain)
    {
        if (plain)
        {
            var parts = budget.Categories.Select(c => $"{c.Name} {c.Used}{(c.Limit is { } l ? "/" + l.ToString(CultureInfo.InvariantCulture) : string.Empty)}");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Cost: ${budget.CostUsd:0.0000} ({string.Join(", ", parts)}; tokens {budget.InputTokens} in / {budget.OutputTokens} out; {budget.Elapsed.TotalSeconds:0.0} s)"));
            return;
        }

        AnsiConsole.Write(ProgressRenderer.CostTable(budget));
    }

    private static Task WriteQaWorkspaceAsync(string workspace, AgentRunResult result, BudgetSnapshot spent)
    {
        var summary = new Dictionary<string, object?>
        {
            ["question"] = result.Question,
            ["answer"] = result.Answer,
            ["status"] = result.Status.ToString(),
            ["status_reason"] = result.StatusReason,
            // The run's tracker, not the planner's meter: it also holds what tools spent on the run's behalf (page summaries).
            ["cost_usd"] = spent.CostUsd,
            ["input_tokens"] = spent.InputTokens,
            ["output_tokens"] = spent.OutputTokens,
            ["tool_units"] = result.Cost.ToolUnits,
            ["tool_calls"] = result.Trajectory.ToolCalls.Select(t => new { t.Name, t.Arguments, t.Executed, t.Category, t.Units }).ToList(),
        };
        return WriteAnswerJsonAsync(workspace, summary);
    }

    /// <summary>Writes the QA summary to <c>answer.json</c> in the workspace folder (atomically).</summary>
    internal static async Task WriteAnswerJsonAsync(string workspace, Dictionary<string, object?> summary)
    {
        Directory.CreateDirectory(workspace);
        string path = Path.Combine(workspace, "answer.json");
        string temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }), Encoding.UTF8).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    internal static string ArgumentsText(IEnumerable<KeyValuePair<string, object?>> arguments) =>
        string.Join(", ", arguments.Select(a => $"{a.Key}: {ProgressRenderer.Trim(a.Value is JsonElement j ? j.GetRawText() : a.Value?.ToString() ?? "null", 80)}"));

    private static string Slug(string text)
    {
        var sb = new StringBuilder();
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }

            if (sb.Length >= 60)
            {
                break;
            }
        }

        string slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "topic" : slug;
    }
}
