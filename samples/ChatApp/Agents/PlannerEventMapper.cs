using System.Text.Json;
using Agents.Budget;
using Agents.Planners.Runs;
using Agents.Planners.Runs.Events;
using Agents.Samples.ChatApp.Hosting;
using Agents.Samples.Shared.Hosting;

namespace Agents.Samples.ChatApp.Agents;

/// <summary>Turns the planners' run events into the page's <see cref="AgentEvent"/>s.</summary>
internal sealed class PlannerEventMapper
{
    private const int MaxSummaryChars = 400;
    private readonly SessionBudget _budget;
    private readonly List<string> _pagesRead = [];
    private int _callCounter;

    public PlannerEventMapper(SessionBudget budget) => _budget = budget;

    public IEnumerable<AgentEvent> Map(AgentRunEvent runEvent, BudgetTracker tracker)
    {
        switch (runEvent)
        {
            case AttemptStartedEvent attempt:
                yield return new ThinkingEvent($"Attempt {attempt.Attempt}", "attempt");
                break;
            case PlanUpdatedEvent plan:
                yield return new ThinkingEvent(plan.Plan, "plan");
                break;
            case ModelRespondedEvent model when !string.IsNullOrWhiteSpace(model.Text):
                yield return new ThinkingEvent(model.Text.Trim(), model.Purpose);
                yield return Budget(tracker.GetSnapshot());
                break;
            case ModelRespondedEvent:
                yield return Budget(tracker.GetSnapshot());
                break;
            case AnswerProposedEvent proposed:
                yield return new ThinkingEvent(proposed.Answer, "proposed");
                break;
            case VerificationCompletedEvent verified:
                yield return new ThinkingEvent(
                    $"{verified.Report.Decision}: {verified.Report.Justification}".Trim(), "verify");
                break;
            case ToolCalledEvent called:
                var call = called.Call;
                var id = string.IsNullOrEmpty(call.CallId) ? "call-" + ++_callCounter : call.CallId;
                if (call.Executed && call.Arguments.TryGetValue("urls", out var urls))
                {
                    _pagesRead.AddRange(Strings(urls));
                }

                yield return new ToolCallEvent(id, call.Name, SerializeArguments(call.Arguments));
                yield return new ToolResultEvent(id, call.Name, Summarize(call.Result), call.Executed);
                yield return Budget(tracker.GetSnapshot());
                break;
            case BudgetChangedEvent changed:
                yield return Budget(changed.Snapshot);
                break;
            case RunCompletedEvent completed when completed.ParentRunId is null:
                var result = completed.Result;
                var text = string.IsNullOrWhiteSpace(result.Answer)
                    ? $"No answer: {ErrorIds.SafeStatusReason(result)}"
                    : result.Answer;
                yield return Budget(tracker.GetSnapshot());
                yield return new AnswerEvent(text, CitationExtractor.Extract(text, _pagesRead), StatusText(result.Status), result.Confidence);
                break;
        }
    }

    public BudgetEvent Budget(BudgetSnapshot snapshot) => new(
        [.. snapshot.Categories.Select(c => new BudgetCategoryUsage(c.Name, c.Used, c.Limit))],
        snapshot.InputTokens,
        snapshot.OutputTokens,
        _budget.MaxTokens,
        snapshot.CostUsd,
        _budget.MaxCostUsd,
        snapshot.RemainingFraction,
        snapshot.Regime.ToString().ToUpperInvariant());

    private static string StatusText(AgentRunStatus status) => status switch
    {
        AgentRunStatus.Answered => "answered",
        AgentRunStatus.BudgetExhausted => "budget_exhausted",
        AgentRunStatus.GaveUp => "gave_up",
        AgentRunStatus.Cancelled => "cancelled",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string Summarize(string result)
    {
        var start = result.IndexOf("<budget>", StringComparison.Ordinal);
        var text = (start >= 0 ? result[..start] : result).Trim();
        return text.Length <= MaxSummaryChars ? text : string.Concat(text.AsSpan(0, MaxSummaryChars), "...");
    }

    private static string SerializeArguments(IReadOnlyDictionary<string, object?> arguments)
    {
        try
        {
            return JsonSerializer.Serialize(arguments);
        }
        catch (NotSupportedException)
        {
            return string.Join(", ", arguments.Select(a => $"{a.Key}={a.Value}"));
        }
    }

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        string s => [s],
        JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        JsonElement { ValueKind: JsonValueKind.String } single => [single.GetString()!],
        IEnumerable<string> many => many,
        _ => [],
    };
}
