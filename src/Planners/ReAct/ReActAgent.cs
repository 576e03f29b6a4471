using Microsoft.SemanticKernel;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;

namespace Agents.Planners.ReAct;

/// <summary>
/// The ReAct loop: the model reasons, calls tools, reads their results, and stops when it replies without a tool
/// call (that reply is the answer). With <see cref="ReActOptions.BudgetAware"/> it is ReAct + Budget Tracker.
/// </summary>
/// <remarks>
/// Tools are charged on the shared <see cref="BudgetTracker"/> by this agent; do not also add the tracker's
/// function-invocation middleware to the chat client or kernel, or calls are counted twice. Unknown tools and
/// bad arguments come back to the model as clear tool results. A model that never answers stops at
/// <see cref="ReActOptions.MaxIterations"/> with <see cref="AgentRunStatus.GaveUp"/>. When a hard limit is reached the
/// run ends with <see cref="AgentRunStatus.BudgetExhausted"/>, unless the tracker asks for
/// <see cref="ExhaustionBehavior.FinalAnswerWithoutTools"/> and only tool budgets are spent: then one more call
/// without tools asks for the best answer.
/// </remarks>
public sealed class ReActAgent : AgentRunner
{
    private readonly ReActOptions _options;
    private readonly ToolLoop _loop;

    /// <summary>Creates the agent.</summary>
    /// <param name="chatClient">The model. Give a plain client: this agent runs the tool loop itself.</param>
    /// <param name="tools">The tools (<see cref="AIFunction"/>s run; other tools are offered to the model but reported as not runnable).</param>
    /// <param name="tracker">The shared budget.</param>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">Options or tools are invalid (the message names the option).</exception>
    public ReActAgent(
        IChatClient chatClient,
        IEnumerable<AITool> tools,
        BudgetTracker tracker,
        ReActOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : base(tracker, timeProvider, loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _options = options ?? new ReActOptions();
        _options.Validate();
        _loop = new ToolLoop(chatClient, tools, nameof(tools), tracker, _options);
    }

    /// <summary>Creates the agent with the functions of a Semantic Kernel's plugins as tools.</summary>
    /// <param name="chatClient">The model.</param>
    /// <param name="kernel">The kernel whose plugins become tools.</param>
    /// <param name="tracker">The shared budget.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">Options are invalid.</exception>
    public ReActAgent(
        IChatClient chatClient,
        Kernel kernel,
        BudgetTracker tracker,
        ReActOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(chatClient, KernelTools.From(kernel), tracker, options, timeProvider, loggerFactory)
    {
    }

    /// <inheritdoc />
    public override string Name => _options.BudgetAware ? "react+budget" : "react";

    /// <inheritdoc />
    protected override async Task<AgentRunResult> ExecuteAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        ReActPrompts prompts = _options.Prompts;
        string guideline = _options.BudgetAware
            ? PromptTemplate.Render(prompts.BudgetGuideline, ("guideline", Tracker.FormatGuideline()))
            : string.Empty;
        var messages = new List<ChatMessage>
        {
            ModelInvoker.Log(context, new ChatMessage(ChatRole.System, PromptTemplate.Render(prompts.System, ("budget_guideline", guideline)).Trim())),
            ModelInvoker.Log(context, new ChatMessage(ChatRole.User, PromptTemplate.Render(
                prompts.Question, ("question", context.Request.Question), ("context", context.Request.Context)).Trim())),
        };

        for (int iteration = 1; iteration <= _options.MaxIterations; iteration++)
        {
            if (Tracker.IsExhausted || context.IsRunBudgetExhausted)
            {
                return await FinishOnExhaustionAsync(context, messages, cancellationToken).ConfigureAwait(false);
            }

            ChatResponse response;
            try
            {
                response = await _loop.CallAsync(context, messages, "act", cancellationToken, withTools: true).ConfigureAwait(false);
            }
            catch (ModelCallDeniedException denied)
            {
                return await FinishOnExhaustionAsync(context, messages, cancellationToken, denied.Message).ConfigureAwait(false);
            }

            messages.AddRange(response.Messages);

            List<FunctionCallContent> calls = ToolLoop.ToolCalls(response);
            if (calls.Count == 0)
            {
                string? answer = AnswerExtractor.AnswerOrText(response.Text);
                return answer is null
                    ? context.CreateResult(AgentRunStatus.GaveUp, null, null, "The model replied without an answer and without a tool call.")
                    : context.CreateResult(AgentRunStatus.Answered, answer, AnswerExtractor.Confidence(response.Text), "The model gave a final answer.");
            }

            bool stop = false;
            foreach (FunctionCallContent call in calls)
            {
                ToolOutcome outcome = await _loop.Tools.InvokeAsync(call, _options.BudgetAware, cancellationToken).ConfigureAwait(false);
                messages.Add(ModelInvoker.Log(context, new ChatMessage(ChatRole.Tool, [outcome.Content])));
                context.RecordToolCall(outcome.Record);
                stop |= outcome.BudgetStop;
            }

            if (stop)
            {
                return await FinishOnExhaustionAsync(context, messages, cancellationToken).ConfigureAwait(false);
            }
        }

        return context.CreateResult(
            AgentRunStatus.GaveUp, null, null, $"No final answer after {_options.MaxIterations} model calls (ReActOptions.MaxIterations).");
    }

    private async Task<AgentRunResult> FinishOnExhaustionAsync(AgentRunContext context, List<ChatMessage> messages, CancellationToken cancellationToken, string? denied = null)
    {
        string reason = _loop.StopReason(context, denied);
        if (!_loop.TriesFinalAnswer(context, denied))
        {
            return context.CreateResult(AgentRunStatus.BudgetExhausted, null, null, reason);
        }

        // With reservations the final answer is tried: it may use the final-answer reserve, and is not made when even that is spent.
        messages.Add(ModelInvoker.Log(context, new ChatMessage(ChatRole.User, _options.Prompts.FinalAnswer)));
        ChatResponse response;
        try
        {
            response = await _loop.CallAsync(context, messages, "final-answer", cancellationToken, finalAnswer: true).ConfigureAwait(false);
        }
        catch (ModelCallDeniedException finalDenied)
        {
            return context.CreateResult(AgentRunStatus.BudgetExhausted, null, null, reason + " " + finalDenied.Message);
        }

        string? answer = AnswerExtractor.AnswerOrText(response.Text);
        return answer is null
            ? context.CreateResult(AgentRunStatus.BudgetExhausted, null, null, reason)
            : context.CreateResult(AgentRunStatus.Answered, answer, AnswerExtractor.Confidence(response.Text), reason + " Answered without tools.");
    }
}
