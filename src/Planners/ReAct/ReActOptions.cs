namespace Agents.Planners.ReAct;

/// <summary>Options of <see cref="ReActAgent"/>.</summary>
public sealed class ReActOptions : IToolLoopOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the agent is budget-aware (ReAct + Budget Tracker): the tracker's
    /// regime guideline goes into the system prompt and a budget block follows every tool result.
    /// Default: <see langword="false"/> (plain ReAct; the budget is still enforced, the model just does not see it).
    /// </summary>
    public bool BudgetAware { get; set; }

    /// <summary>Gets or sets the most model calls per run; the run then ends with GaveUp. Default 30; 1 to 10,000.</summary>
    public int MaxIterations { get; set; } = 30;

    /// <summary>Gets or sets the longest tool result kept, in characters (longer ones are cut and marked). Default 150,000.</summary>
    public int MaxToolResultChars { get; set; } = 150_000;

    /// <summary>Gets or sets chat options used on every call (model id, temperature, ...); tools are set by the agent.</summary>
    public ChatOptions? ChatOptions { get; set; }

    /// <summary>
    /// Gets or sets the model's context window. Every request then stays within it minus its reply reserve: older
    /// tool results are condensed and the oldest turns dropped (see <see cref="Context.ContextWindowChatReducer"/>).
    /// <see langword="null"/> (default): the window the chat client announces (<see cref="Context.ContextWindow.FromChatClient"/>), if any.
    /// </summary>
    public Context.ContextWindow? ContextWindow { get; set; }

    /// <summary>Gets or sets the prompt texts.</summary>
    public ReActPrompts Prompts { get; set; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range.</exception>
    /// <exception cref="ArgumentException">A prompt template is invalid.</exception>
    public void Validate()
    {
        if (MaxIterations is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "ReActOptions.MaxIterations must be between 1 and 10000.");
        }

        if (MaxToolResultChars < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxToolResultChars), MaxToolResultChars, "ReActOptions.MaxToolResultChars must be at least 100.");
        }

        if (Prompts is null)
        {
            throw new ArgumentException("ReActOptions.Prompts must not be null.", nameof(Prompts));
        }

        Prompts.Validate();
    }
}
