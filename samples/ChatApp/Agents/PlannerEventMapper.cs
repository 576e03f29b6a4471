using Agents.Plugins.Memory;
using Agents.Planners.Runs;
using Agents.Planners.Runs.Events;

namespace Agents.Samples.ChatApp.Agents;

/// <summary>Turns the planners' run events into the page's <see cref="AgentEvent"/>s.</summary>
internal sealed class PlannerEventMapper
{
    private readonly SessionBudget _budget;
    private readonly TimeSpan? _maxDuration;
    private readonly List<string> _pagesRead = [];
    private readonly Dictionary<string, ResultCard> _seen = new(StringComparer.Ordinal);
    private int _callCounter;

    /// <summary>Creates the mapper for one run.</summary>
    /// <param name="budget">The user's budget of the run.</param>
    /// <param name="maxDuration">The run's time limit, shown on the meter.</param>
    public PlannerEventMapper(SessionBudget budget, TimeSpan? maxDuration = null)
    {
        _budget = budget;
        _maxDuration = maxDuration;
    }

    public IEnumerable<AgentEvent> Map(AgentRunEvent runEvent, BudgetTracker tracker)
    {
        switch (runEvent)
        {
            case AnswerDeltaEvent delta:
                yield return new DeltaEvent(delta.Text, delta.Purpose);
                break;
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

                var (summary, cards) = ToolResultParser.Parse(call.Result);
                foreach (var card in cards)
                {
                    // Pages read win over search snippets as evidence: they are what the agent quoted from.
                    if (!_seen.ContainsKey(card.Url) || call.Arguments.ContainsKey("urls"))
                    {
                        _seen[card.Url] = card;
                    }
                }

                yield return new ToolCallEvent(id, call.Name, SerializeArguments(call.Arguments));
                yield return new ToolResultEvent(id, call.Name, summary, call.Executed) { Cards = cards };
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
                yield return new AnswerEvent(text, [.. CitationExtractor.Extract(text, _pagesRead).Select(WithEvidence)], StatusText(result.Status), result.Confidence);
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
        snapshot.Regime.ToString().ToUpperInvariant())
    {
        ElapsedSeconds = snapshot.Elapsed.TotalSeconds,
        MaxSeconds = _maxDuration?.TotalSeconds,
    };

    /// <summary>Adds what the agent saw of a cited source: the page text or search snippet, and the archived copy of a page it read.</summary>
    private Citation WithEvidence(Citation citation)
    {
        if (!_seen.TryGetValue(citation.Url, out var card))
        {
            return citation;
        }

        var title = Uri.TryCreate(citation.Url, UriKind.Absolute, out var uri) && citation.Title == uri.Host && card.Title.Length > 0 ? card.Title : citation.Title;
        return citation with
        {
            Title = title,
            Evidence = card.Text.Length > 0 ? card.Text : null,
            Archive = uri is not null && _pagesRead.Contains(citation.Url) ? SourceArchive.GetSourcePath(uri) : null,
        };
    }

    private static string StatusText(AgentRunStatus status) => status switch
    {
        AgentRunStatus.Answered => "answered",
        AgentRunStatus.BudgetExhausted => "budget_exhausted",
        AgentRunStatus.GaveUp => "gave_up",
        AgentRunStatus.Cancelled => "cancelled",
        _ => status.ToString().ToLowerInvariant(),
    };

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
