namespace Agents.Samples.ChatApp.Agents;

/// <summary>The run paused: a tool category is spent, and the page is asked whether to continue with more units.</summary>
/// <param name="AskId">The id to answer with (<c>POST /api/conversations/{id}/asks/{askId}</c>).</param>
/// <param name="Category">The spent category, for example <c>search</c>.</param>
/// <param name="Spent">The category's units used so far.</param>
/// <param name="Limit">The category's limit.</param>
/// <param name="Offer">The units offered.</param>
/// <param name="Text">The question, for example "The search budget is spent; continue with 5 more?" (plain text).</param>
internal sealed record AskEvent(string AskId, string Category, long Spent, long Limit, int Offer, string Text) : AgentEvent
{
    public override string EventName => "ask";
}
