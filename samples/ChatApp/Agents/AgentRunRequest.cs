namespace Agents.Samples.ChatApp.Agents;

/// <summary>What the server asks an <see cref="IAgentRunner"/> to do.</summary>
/// <param name="ConversationId">The conversation the run belongs to.</param>
/// <param name="Question">The user's message.</param>
/// <param name="History">Earlier turns of the conversation, oldest first.</param>
/// <param name="Strategy">The planner the user chose.</param>
/// <param name="Budget">The budget for this run, already checked against the server's maximums.</param>
internal sealed record AgentRunRequest(
    string ConversationId,
    string Question,
    IReadOnlyList<ChatTurn> History,
    AgentStrategy Strategy,
    SessionBudget Budget)
{
    /// <summary>Gets who is asked for more units when a tool category is spent (the page); <see langword="null"/> never asks.</summary>
    public IBudgetExtensionApprover? Approver { get; init; }
}
