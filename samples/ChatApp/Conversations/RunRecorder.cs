namespace Agents.Samples.ChatApp.Conversations;

/// <summary>
/// Follows one run's events on their way to the page: renders the answer's Markdown and keeps the steps, the
/// latest budget, the answer and the end, so that the conversation can show the whole run again after a reload.
/// </summary>
internal sealed class RunRecorder
{
    /// <summary>The most events kept per run (the budget and the report's sections count once); later steps are still streamed, not kept.</summary>
    public const int MaxEvents = 400;

    private readonly AnswerRenderer _renderer;
    private readonly List<AgentEvent> _events = [];
    private BudgetEvent? _budget;
    private SectionsEvent? _sections;
    private AnswerEvent? _answer;
    private string? _status;

    public RunRecorder(AnswerRenderer renderer) => _renderer = renderer;

    /// <summary>Keeps an event and returns what the page gets: answers come back with their rendered HTML.</summary>
    public AgentEvent Record(AgentEvent agentEvent)
    {
        switch (agentEvent)
        {
            case BudgetEvent budget:
                _budget = budget;
                return budget;
            case SectionsEvent sections:
                _sections = sections;
                return sections;
            case AnswerEvent answer:
                _answer = answer with { Html = _renderer.Render(answer.Text, answer.Citations) };
                return _answer;
            case DoneEvent done:
                _status = done.Status;
                return done;
            case DeltaEvent:
                return agentEvent; // shown live, not kept: the answer replaces it
        }

        if (_events.Count < MaxEvents)
        {
            _events.Add(agentEvent);
        }

        return agentEvent;
    }

    /// <summary>The assistant turn for the conversation, or <see langword="null"/> when the run produced nothing at all.</summary>
    public ChatTurn? ToTurn()
    {
        if (_answer is null && _events.Count == 0 && _budget is null && _sections is null && _status is null or "disconnected")
        {
            return null;
        }

        var text = _answer?.Text ?? _status switch
        {
            "cancelled" => "(stopped)",
            "timed_out" => "(stopped: the run took too long)",
            "failed" => "(failed)",
            _ => "(no answer)",
        };
        List<AgentEvent> events = [.. _events];
        if (_sections is not null)
        {
            events.Add(_sections);
        }

        if (_budget is not null)
        {
            events.Add(_budget);
        }

        if (_answer is not null)
        {
            events.Add(_answer);
        }

        if (_status is not null)
        {
            events.Add(new DoneEvent(_status));
        }

        return new ChatTurn("assistant", text, _answer?.Citations ?? []) { Html = _answer?.Html, IsReport = _answer?.IsReport == true, Events = events };
    }
}
