using System.Text.RegularExpressions;
using Agents.AgentFramework;
using Agents.Planners.Grading;
using Agents.Planners.ReAct;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Agents.Samples.ResearchAgent.Framework;

/// <summary>
/// QA mode through the Microsoft Agent Framework's public API: the strategy as an <see cref="AIAgent"/> (react and
/// react+budget: a <see cref="ChatClientAgent"/> with <c>UseBudgetTracker</c>; the planners: <see cref="PlannerAIAgent"/>),
/// an <see cref="AgentSession"/> (loaded from and saved to <c>--session</c>), <c>RunStreamingAsync</c> with live
/// progress, and the console question when the budget middleware pauses a run to ask for more units (the planners'
/// tracker asks through its <see cref="BudgetOptions.ExtensionApprover"/>, the console's, while the run waits).
/// </summary>
internal static partial class FrameworkQa
{
    private const string Declined = "The user said no at the console.";

    /// <summary>Runs the question; returns the process exit code.</summary>
    public static async Task<int> RunAsync(
        ResearchStack stack, BudgetTracker tracker, FrameworkSettings settings, string question, string? workspace, ProgressState state, bool plain, string title, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var receipts = new BudgetReceiptLog(loggerFactory);
        receipts.Recorded += (_, receipt) => ShowReceipt(receipt, state, plain);
        AIAgent agent = Build(stack, tracker, settings, receipts, loggerFactory);
        Console.Out.WriteLine(settings.UsesChatClientAgent
            ? $"Framework: ChatClientAgent with the budget middleware ({settings.Strategy}{(settings.AskForMoreUnits is { } n ? $", asks for {n} more when a budget is spent" : string.Empty)})"
            : $"Framework: PlannerAIAgent ({settings.Strategy})");

        AgentSession session;
        try
        {
            session = settings.SavedSession is { } saved
                ? await agent.DeserializeSessionAsync(saved, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await agent.CreateSessionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine($"error: --session: '{settings.SessionPath}' cannot be resumed by this agent: {ex.Message} Delete it or give another file.");
            return ResearchAgentApp.ExitUsage;
        }

        if (settings.SavedSession is not null)
        {
            Console.Out.WriteLine($"Session: resumed from {settings.SessionPath}");
        }

        List<AgentResponseUpdate> updates = [];
        var message = new ChatMessage(ChatRole.User, question);
        try
        {
            while (true)
            {
                ChatMessage input = message;
                List<AgentResponseUpdate> run = await ResearchAgentApp.ShowProgressAsync(state, plain, title, () => StreamAsync(agent, input, session, state, cancellationToken)).ConfigureAwait(false);
                updates.AddRange(run);
                if (run.SelectMany(u => u.Contents).OfType<ToolApprovalRequestContent>().LastOrDefault() is not { } request)
                {
                    break;
                }

                // The budget middleware paused the run: ask, and answer in the next run of the same session.
                string text = run.Where(u => u.Contents.Contains(request)).SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text).FirstOrDefault(t => t.Length > 0)
                    ?? "The budget is spent; continue with more?";
                bool yes = await ConsoleQuestion.AskAsync(text, Console.In, Console.Out, Console.IsInputRedirected, cancellationToken).ConfigureAwait(false);
                message = new ChatMessage(ChatRole.User, [request.CreateResponse(yes, yes ? null : Declined)]);
                state.SetStep(yes ? "resuming with more budget" : "answering without more budget");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Out.WriteLine("Stopped by Ctrl+C before an answer.");
            ResearchAgentApp.PrintCost(tracker.GetSnapshot(), plain);
            return ResearchAgentApp.ExitCancelled;
        }
        catch (Exception ex) when (stack.Monitor.Failure is not null)
        {
            Console.Error.WriteLine($"error: {stack.Monitor.Failure!.Message} ({ex.GetType().Name})");
            ResearchAgentApp.PrintCost(tracker.GetSnapshot(), plain);
            return ResearchAgentApp.ExitModel;
        }

        BudgetSnapshot snapshot = tracker.GetSnapshot();
        if (stack.Monitor.Failure is { } failure)
        {
            Console.Error.WriteLine("error: " + failure.Message);
            ResearchAgentApp.PrintCost(snapshot, plain);
            return ResearchAgentApp.ExitModel;
        }

        Outcome outcome = settings.UsesChatClientAgent ? FromChatClientAgent(updates, snapshot) : FromPlanner(updates);
        int exit = outcome.Status == AgentRunStatus.Cancelled ? ResearchAgentApp.ExitCancelled : ResearchAgentApp.ExitOk;
        if (settings.SessionPath is { } path && outcome.Status != AgentRunStatus.Cancelled)
        {
            try
            {
                JsonElement serialized = await agent.SerializeSessionAsync(session, cancellationToken: cancellationToken).ConfigureAwait(false);
                await SessionFile.SaveAsync(path, settings.Strategy, serialized, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine($"Session: saved to {path}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: --session: could not save '{path}': {ex.Message}");
                exit = ResearchAgentApp.ExitUsage;
            }
        }

        if (workspace is not null)
        {
            await ResearchAgentApp.WriteAnswerJsonAsync(workspace, Summary(question, outcome, snapshot)).ConfigureAwait(false);
        }

        return Print(outcome, snapshot, plain, exit);
    }

    /// <summary>The agent for the strategy, built with the framework's public API only.</summary>
    private static AIAgent Build(ResearchStack stack, BudgetTracker tracker, FrameworkSettings settings, BudgetReceiptLog receipts, ILoggerFactory loggerFactory)
    {
        if (!settings.UsesChatClientAgent)
        {
            return AgentCatalog.Create(settings.Strategy, stack.ChatClient, stack.CreateWebTools(), tracker, TimeProvider.System, loggerFactory)
                .AsAIAgent($"The {settings.Strategy} research agent");
        }

        string instructions = new ReActPrompts().System.Replace("{{budget_guideline}}", string.Empty, StringComparison.Ordinal).Trim();
        return stack.ChatClient.AsAIAgent(instructions: instructions, name: settings.Strategy, tools: [.. stack.CreateWebTools()], loggerFactory: loggerFactory)
            .AsBuilder()
            .UseBudgetTracker(tracker, o =>
            {
                o.AddGuideline = settings.Strategy == "react+budget";
                o.AskForMoreUnits = settings.AskForMoreUnits;
                o.Receipts = receipts;
            })
            .Build();
    }

    private static async Task<List<AgentResponseUpdate>> StreamAsync(AIAgent agent, ChatMessage message, AgentSession session, ProgressState state, CancellationToken cancellationToken)
    {
        List<AgentResponseUpdate> updates = [];
        Dictionary<string, FunctionCallContent> calls = new(StringComparer.Ordinal);
        await foreach (AgentResponseUpdate update in agent.RunStreamingAsync(message, session, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            Show(update, calls, state);
        }

        return updates;
    }

    /// <summary>Shows one update as the console mode shows the run's events: the step, the tool calls, the budget.</summary>
    private static void Show(AgentResponseUpdate update, Dictionary<string, FunctionCallContent> calls, ProgressState state)
    {
        object? runEvent = update.AdditionalProperties?.TryGetValue(PlannerAgentKeys.Event, out object? e) == true ? e : null;
        if (runEvent is BudgetChangedEvent budget)
        {
            state.SetBudget(budget.Snapshot);
            return;
        }

        foreach (AIContent content in update.Contents)
        {
            switch (content)
            {
                case TextReasoningContent reasoning when reasoning.AdditionalProperties?.ContainsKey("delta") != true && !string.IsNullOrWhiteSpace(reasoning.Text):
                    state.SetStep(reasoning.Text);
                    break;
                case FunctionCallContent call:
                    calls[call.CallId] = call;
                    state.SetStep($"calling {call.Name}");
                    break;
                case FunctionResultContent result:
                    string shown = calls.TryGetValue(result.CallId, out FunctionCallContent? called)
                        ? $"{called.Name}({ResearchAgentApp.ArgumentsText(called.Arguments ?? new Dictionary<string, object?>())})"
                        : result.CallId;
                    state.AddTool(shown + (IsRefused(result) ? " refused" : string.Empty));
                    break;
                case ToolApprovalRequestContent:
                    state.SetStep("paused: the budget middleware asks for more units");
                    break;
                case TextContent text when update.Role == ChatRole.Assistant && text.Text.Length > 0 && !update.Contents.Any(c => c is ToolApprovalRequestContent):
                    state.SetStep("model: replying");
                    break;
            }
        }

        if (update.AdditionalProperties?.TryGetValue(BudgetAgentKeys.Snapshot, out object? snapshot) == true && snapshot is BudgetSnapshot s)
        {
            state.SetBudget(s);
        }
    }

    private static void ShowReceipt(BudgetReceipt receipt, ProgressState state, bool plain)
    {
        if (receipt.Kind == BudgetReceiptKind.Granted)
        {
            return;
        }

        string line = string.Create(CultureInfo.InvariantCulture, $"receipt: {receipt.Kind.ToString().ToLowerInvariant()} {receipt.Budget}{(receipt.Units > 0 ? $" {receipt.Units} unit(s)" : string.Empty)}{(receipt.Detail.Length > 0 ? ": " + receipt.Detail : string.Empty)}");
        if (!plain)
        {
            state.AddTool(line);
            return;
        }

        lock (state)
        {
            Console.Out.WriteLine(line);
        }
    }

    private static bool IsRefused(FunctionResultContent result) =>
        result.Result?.ToString()?.Contains("not executed", StringComparison.Ordinal) == true;

    /// <summary>A planner's answer: its <see cref="AgentRunResult"/> and the answer's <see cref="CitationAnnotation"/>s, from the last update.</summary>
    private static Outcome FromPlanner(List<AgentResponseUpdate> updates)
    {
        AgentResponseUpdate? last = updates.LastOrDefault(u => u.AdditionalProperties?.ContainsKey(PlannerAgentKeys.Result) == true);
        if (last?.AdditionalProperties?[PlannerAgentKeys.Result] is not AgentRunResult result)
        {
            return new Outcome(null, AgentRunStatus.GaveUp, "the agent streamed no result", [], null);
        }

        List<Uri> citations = [.. last.Contents.OfType<TextContent>()
            .SelectMany(t => t.Annotations ?? [])
            .OfType<CitationAnnotation>()
            .Select(c => c.Url)
            .OfType<Uri>()
            .Distinct()];
        return new Outcome(result.Answer, result.Status, result.StatusReason, citations, result.Confidence);
    }

    /// <summary>
    /// The ChatClientAgent's answer: the text of its final reply (inside <c>&lt;answer&gt;</c> when tagged), cited by the
    /// links in it, else by the pages its browse calls read.
    /// </summary>
    private static Outcome FromChatClientAgent(List<AgentResponseUpdate> updates, BudgetSnapshot snapshot)
    {
        int start = updates.FindLastIndex(u => u.Contents.Any(c => c is FunctionResultContent or ToolApprovalRequestContent)) + 1;
        string reply = string.Concat(updates.Skip(start).Where(u => u.Role == ChatRole.Assistant).SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)).Trim();
        string? answer = AnswerTag().Matches(reply).LastOrDefault()?.Groups[1].Value.Trim() ?? (reply.Length > 0 ? reply : null);
        string reason = snapshot.IsExhausted
            ? "final reply after a budget limit was reached: " + string.Join("; ", snapshot.ExhaustedReasons)
            : "final reply of the ChatClientAgent";
        if (string.IsNullOrEmpty(answer))
        {
            return new Outcome(null, snapshot.IsExhausted ? AgentRunStatus.BudgetExhausted : AgentRunStatus.GaveUp, "the agent gave no final reply", [], null);
        }

        List<Uri> citations = [.. LinkPattern().Matches(answer).Select(m => Uri.TryCreate(m.Value.TrimEnd('.', ',', ';', ':'), UriKind.Absolute, out Uri? u) ? u : null).OfType<Uri>().Distinct()];
        if (citations.Count == 0)
        {
            citations = PagesRead(updates);
        }

        return new Outcome(answer, AgentRunStatus.Answered, reason, citations, null);
    }

    /// <summary>The URLs of the browse calls that ran (their results are not budget refusals), in order.</summary>
    private static List<Uri> PagesRead(List<AgentResponseUpdate> updates)
    {
        Dictionary<string, FunctionCallContent> browses = new(StringComparer.Ordinal);
        List<Uri> pages = [];
        foreach (AIContent content in updates.SelectMany(u => u.Contents))
        {
            if (content is FunctionCallContent { Name: ResearchToolset.BrowseToolName } call)
            {
                browses[call.CallId] = call;
            }
            else if (content is FunctionResultContent result && browses.TryGetValue(result.CallId, out FunctionCallContent? browse) && !IsRefused(result)
                && browse.Arguments?.TryGetValue("urls", out object? urls) == true)
            {
                IEnumerable<string> list = urls is JsonElement { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().Select(e => e.ToString()) : urls as IEnumerable<string> ?? [];
                foreach (string url in list)
                {
                    if (Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && !pages.Contains(uri))
                    {
                        pages.Add(uri);
                    }
                }
            }
        }

        return pages;
    }

    private static int Print(Outcome outcome, BudgetSnapshot snapshot, bool plain, int exit)
    {
        switch (outcome.Status)
        {
            case AgentRunStatus.Answered when AnswerNormalizer.IsNoAnswer(outcome.Answer):
                Console.Out.WriteLine($"No answer: the agent found none ({outcome.Reason})");
                exit = exit == ResearchAgentApp.ExitOk ? ResearchAgentApp.ExitNoAnswer : exit;
                break;
            case AgentRunStatus.Answered:
                var text = new StringBuilder().Append("Answer: ").Append(outcome.Answer).Append('\n');
                text.Append(outcome.Citations.Count == 0 ? "Citations: none\n" : "Citations:\n");
                for (int i = 0; i < outcome.Citations.Count; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  [{i + 1}] {outcome.Citations[i]}\n");
                }

                text.Append("Status: answered (").Append(outcome.Reason).Append(')');
                Console.Out.WriteLine(text.ToString());
                break;
            case AgentRunStatus.Cancelled:
                Console.Out.WriteLine("Stopped by Ctrl+C before an answer.");
                break;
            default:
                Console.Out.WriteLine($"No answer: {outcome.Status} ({outcome.Reason})");
                exit = exit == ResearchAgentApp.ExitOk ? ResearchAgentApp.ExitNoAnswer : exit;
                break;
        }

        ResearchAgentApp.PrintCost(snapshot, plain);
        return exit;
    }

    private static Dictionary<string, object?> Summary(string question, Outcome outcome, BudgetSnapshot snapshot) => new()
    {
        ["question"] = question,
        ["answer"] = outcome.Answer,
        ["status"] = outcome.Status.ToString(),
        ["status_reason"] = outcome.Reason,
        ["confidence"] = outcome.Confidence,
        ["citations"] = outcome.Citations.Select(c => c.ToString()).ToList(),
        ["cost_usd"] = snapshot.CostUsd,
        ["input_tokens"] = snapshot.InputTokens,
        ["output_tokens"] = snapshot.OutputTokens,
        ["tool_units"] = snapshot.Categories.ToDictionary(c => c.Name, c => c.Used, StringComparer.Ordinal),
    };

    [GeneratedRegex(@"<answer>\s*(.*?)\s*</answer>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex AnswerTag();

    [GeneratedRegex(@"https?://[^\s<>""'\]\)]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex LinkPattern();

    /// <summary>What the run answered, why, its sources and confidence.</summary>
    private sealed record Outcome(string? Answer, AgentRunStatus Status, string Reason, IReadOnlyList<Uri> Citations, double? Confidence);
}
