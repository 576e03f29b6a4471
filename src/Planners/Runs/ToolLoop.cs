using Agents.Planners.Context;

namespace Agents.Planners.Runs;

/// <summary>
/// The model and the tools of an agent that runs the tool loop itself (<c>ReActAgent</c>, <c>BatsAgent</c>): checks and
/// holds them, calls the model with its options (with the tools, or without them), reads the tool calls of a reply,
/// and decides how a run that met a budget limit ends.
/// </summary>
internal sealed class ToolLoop
{
    private readonly BudgetTracker _tracker;
    private readonly IToolLoopOptions _options;

    /// <summary>Checks the tools and holds the model, the tools and the agent's options.</summary>
    /// <param name="chatClient">The model (not null: the agent checks it first).</param>
    /// <param name="tools">The tools.</param>
    /// <param name="toolsParameter">The agent's parameter name of the tools, for messages.</param>
    /// <param name="tracker">The shared budget the tools are charged on.</param>
    /// <param name="options">The agent's options, already checked; read on every call.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tools"/> is null.</exception>
    /// <exception cref="ArgumentException">A tool is null, or two share a name.</exception>
    public ToolLoop(IChatClient chatClient, IEnumerable<AITool> tools, string toolsParameter, BudgetTracker tracker, IToolLoopOptions options)
    {
        ChatClient = chatClient;
        Tools = new ToolInvoker(ToolInvoker.Validate(tools, toolsParameter), tracker, options.MaxToolResultChars);
        _tracker = tracker;
        _options = options;
    }

    /// <summary>Gets the model.</summary>
    public IChatClient ChatClient { get; }

    /// <summary>Gets the tools and the invoker that charges them.</summary>
    public ToolInvoker Tools { get; }

    /// <summary>Calls the model with the agent's chat options and context window (see <see cref="ModelInvoker.CallAsync"/>).</summary>
    /// <param name="context">The run.</param>
    /// <param name="messages">The request.</param>
    /// <param name="purpose">What the call is for (<c>act</c>, <c>verify</c>, ...), in the trajectory and the logs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="withTools">Whether the tools are offered.</param>
    /// <param name="responseFormat">The structured reply asked for, if any.</param>
    /// <param name="finalAnswer">Whether the call is a final answer (it may use the final-answer reserve).</param>
    /// <returns>The reply.</returns>
    /// <exception cref="ModelCallDeniedException">The budget has no room for the call.</exception>
    public Task<ChatResponse> CallAsync(
        AgentRunContext context,
        IEnumerable<ChatMessage> messages,
        string purpose,
        CancellationToken cancellationToken,
        bool withTools = false,
        ChatResponseFormat? responseFormat = null,
        bool finalAnswer = false) =>
        ModelInvoker.CallAsync(
            context, ChatClient, messages, _options.ChatOptions, withTools ? Tools.Tools : null, purpose, cancellationToken, _options.ContextWindow, responseFormat, finalAnswer);

    /// <summary>The tool calls a reply asks to run (informational ones left out).</summary>
    /// <param name="response">The reply.</param>
    /// <returns>The calls, in order; empty when the reply asks for none.</returns>
    public static List<FunctionCallContent> ToolCalls(ChatResponse response) =>
        [.. response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Where(c => !c.InformationalOnly)];

    /// <summary>
    /// Tells whether a run that stopped on the budget makes one more call, without tools, for a final answer: a model call
    /// was denied or the tracker asks for <see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/>, the run's own
    /// output-token budget is not spent, and either the model reserves its calls (the answer may use the final-answer
    /// reserve) or only tool budgets are spent.
    /// </summary>
    /// <param name="context">The run.</param>
    /// <param name="denied">Why a model call was denied; null when a tool budget stopped the run.</param>
    /// <returns>True when the final answer is tried.</returns>
    public bool TriesFinalAnswer(AgentRunContext context, string? denied) =>
        (denied is not null || _tracker.Options.OnExhaustion == ExhaustionBehavior.FinalAnswerWithoutTools)
        && !context.IsRunBudgetExhausted
        && (ModelInvoker.ReservesCalls(ChatClient) || BudgetChecks.OnlyToolsExhausted(_tracker.GetSnapshot()));

    /// <summary>Why a run stopped on the budget: the run's own output-token budget, a denied model call, or the limits reached.</summary>
    /// <param name="context">The run.</param>
    /// <param name="denied">Why a model call was denied; null when a tool budget stopped the run.</param>
    /// <returns>The reason, a sentence.</returns>
    public string StopReason(AgentRunContext context, string? denied) =>
        context.IsRunBudgetExhausted
            ? "The run's output-token budget is spent."
            : denied ?? "A budget limit was reached: " + string.Join("; ", _tracker.GetSnapshot().ExhaustedReasons) + ".";
}
