namespace Agents.AgentFramework;

/// <summary>Adds a <see cref="BudgetTracker"/> to a Microsoft Agent Framework <see cref="AIAgentBuilder"/> pipeline.</summary>
public static class BudgetAgentBuilderExtensions
{
    /// <summary>
    /// Adds the budget as agent middleware, on three layers: the <b>run</b> layer refuses a run on an exhausted budget
    /// (<see cref="ExhaustionBehavior.Terminate"/>) or answers without tools (<see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/>),
    /// and reports the spend in <see cref="AgentResponse.AdditionalProperties"/>; the <b>function-calling</b> layer charges
    /// every tool call through <see cref="BudgetTracker.InvokeToolAsync"/>, appends the budget block to every tool result and
    /// stops the tool loop at a hard limit; the <b>chat-client</b> layer counts tokens and money with a
    /// <see cref="BudgetChatClient"/>.
    /// </summary>
    /// <remarks>
    /// The inner agent must use a <see cref="FunctionInvokingChatClient"/>, as <see cref="ChatClientAgent"/> does.
    /// Run options must be <see langword="null"/>, a plain <see cref="AgentRunOptions"/> or a <see cref="ChatClientAgentRunOptions"/>.
    /// </remarks>
    /// <param name="builder">The agent builder, for example from <c>agent.AsBuilder()</c>.</param>
    /// <param name="tracker">The tracker; it may be shared by several agents.</param>
    /// <param name="configure">Configures the middleware.</param>
    /// <returns>The builder.</returns>
    public static AIAgentBuilder UseBudgetTracker(this AIAgentBuilder builder, BudgetTracker tracker, Action<BudgetAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tracker);
        var options = new BudgetAgentOptions();
        configure?.Invoke(options);
        options.Receipts?.Attach(tracker);
        BudgetAskState? ask = options.AskForMoreUnits is null ? null : new BudgetAskState();
        return builder
            .Use(inner => new BudgetAgent(inner, tracker, options, ask))
            .Use((agent, context, next, cancellationToken) => BudgetFunctionMiddleware.InvokeAsync(tracker, options.Receipts, ask, context, next, cancellationToken));
    }
}
