namespace Agents.Budget;

/// <summary>What the agent loop does once a hard budget limit is reached.</summary>
public enum ExhaustionBehavior
{
    /// <summary>
    /// Stop the tool loop at once (Semantic Kernel <c>Terminate</c>, M.E.AI <c>FunctionInvocationContext.Terminate</c>).
    /// The last message is the tool result with the budget block. This is the default.
    /// </summary>
    Terminate,

    /// <summary>
    /// Let the model give one final answer with tools removed (M.E.AI), or refuse further tool calls with a text
    /// telling the model to answer now and stop the loop on the next refused call (Semantic Kernel).
    /// </summary>
    FinalAnswerWithoutTools,
}
