using System.Text;
using Agents.Planners.Grading;
using Agents.Planners.Runs.Events;

namespace Agents.Planners.Scaling;

/// <summary>
/// Plan-and-Budget: decompose the question into sub-questions with estimated complexity, split the output-token
/// budget over them with <see cref="PlanAndBudgetAllocator"/> (complexity × decay schedule), answer each with the inner
/// agent under its own token budget (earlier findings passed as context), then synthesize the final answer.
/// </summary>
public sealed class PlanAndBudgetStrategy : AgentRunner
{
    private readonly AgentRunner _inner;
    private readonly IChatClient _planner;
    private readonly PlanAndBudgetOptions _options;

    /// <summary>Creates the strategy.</summary>
    /// <param name="inner">The agent that answers each sub-question.</param>
    /// <param name="planner">The model that decomposes and synthesizes.</param>
    /// <param name="options">Options; defaults when null. Validated here.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="planner"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public PlanAndBudgetStrategy(AgentRunner inner, IChatClient planner, PlanAndBudgetOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : base((inner ?? throw new ArgumentNullException(nameof(inner))).Tracker, timeProvider, loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(planner);
        _inner = inner;
        _planner = planner;
        _options = options ?? new PlanAndBudgetOptions();
        _options.Validate();
    }

    /// <inheritdoc />
    public override string Name => "plan-and-budget(" + _inner.Name + ")";

    /// <inheritdoc />
    protected override async Task<AgentRunResult> ExecuteAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        PlanAndBudgetPrompts prompts = _options.Prompts;
        long total = Math.Min(_options.TotalOutputTokens, context.Request.MaxOutputTokens ?? long.MaxValue);
        List<(string Question, int Complexity)> parts = await DecomposeAsync(context, cancellationToken).ConfigureAwait(false);

        long synthesisReserve = (long)(total * _options.SynthesisShare);
        long forParts = Math.Max(parts.Count, total - synthesisReserve - context.OutputTokensUsed);
        IReadOnlyList<long> budgets = PlanAndBudgetAllocator.Allocate([.. parts.Select(p => p.Complexity)], forParts, _options.Schedule, _options.DecayRate);

        var findings = new StringBuilder();
        var subRuns = new List<AgentRunResult>();
        for (int i = 0; i < parts.Count; i++)
        {
            if (Tracker.IsExhausted)
            {
                break;
            }

            context.Emit(new AttemptStartedEvent(i + 1));
            var request = new AgentRunRequest(parts[i].Question)
            {
                Context = PromptTemplate.Render(prompts.SubQuestionContext, ("question", context.Request.Question), ("findings", findings.Length == 0 ? "(none yet)" : findings.ToString())),
                MaxOutputTokens = budgets[i],
            };
            AgentRunResult sub = await context.RunSubAgentAsync(_inner, request, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            subRuns.Add(sub);
            findings.Append(i + 1).Append(". ").Append(parts[i].Question).Append(" -> ")
                .AppendLine(sub.Status == AgentRunStatus.Answered ? sub.Answer : "(no answer: " + sub.StatusReason + ")");
        }

        if (subRuns.Count == 0 || !subRuns.Any(r => r.Status == AgentRunStatus.Answered))
        {
            return context.CreateResult(SampleRunner.NoAnswerStatus(context, subRuns), null, null, "No sub-question was answered.");
        }

        ChatOptions synthesisOptions = _options.PlannerChatOptions?.Clone() ?? new ChatOptions();
        synthesisOptions.MaxOutputTokens = (int)Math.Clamp(total - context.OutputTokensUsed, 16, int.MaxValue);
        ChatMessage[] messages =
        [
            ModelInvoker.Log(context, new ChatMessage(ChatRole.System, prompts.SynthesisSystem)),
            ModelInvoker.Log(context, new ChatMessage(ChatRole.User, PromptTemplate.Render(
                prompts.SynthesisUser, ("question", context.Request.Question), ("findings", findings.ToString())))),
        ];
        ChatResponse response = await ModelInvoker.CallAsync(
            context, _planner, messages, synthesisOptions, tools: null, "synthesize", cancellationToken, _options.PlannerContextWindow).ConfigureAwait(false);
        string? answer = AnswerExtractor.AnswerOrText(response.Text);
        if (AnswerNormalizer.IsNoAnswer(answer))
        {
            return context.CreateResult(AgentRunStatus.GaveUp, null, null, "The synthesis gave no answer.");
        }

        return context.CreateResult(
            AgentRunStatus.Answered,
            answer,
            AnswerExtractor.Confidence(response.Text),
            $"{subRuns.Count} sub-questions, token budgets [{string.Join(", ", budgets)}] ({_options.Schedule} decay), then synthesis.");
    }

    private async Task<List<(string Question, int Complexity)>> DecomposeAsync(AgentRunContext context, CancellationToken cancellationToken)
    {
        ChatMessage[] messages =
        [
            ModelInvoker.Log(context, new ChatMessage(ChatRole.System, _options.Prompts.DecomposeSystem)),
            ModelInvoker.Log(context, new ChatMessage(ChatRole.User, PromptTemplate.Render(_options.Prompts.DecomposeUser, ("question", context.Request.Question)))),
        ];
        ChatResponse response = await ModelInvoker.CallAsync(
            context, _planner, messages, _options.PlannerChatOptions, tools: null, "decompose", cancellationToken, _options.PlannerContextWindow, StructuredOutput.Decomposition).ConfigureAwait(false);

        var parts = new List<(string, int)>();
        if (JsonReply.TryParseObject(response.Text, out JsonDocument? document, out string error))
        {
            using (document)
            {
                if (JsonReply.TryGetProperty(document.RootElement, "subquestions", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement item in list.EnumerateArray())
                    {
                        string? question = item.ValueKind == JsonValueKind.String ? item.GetString() : JsonReply.GetString(item, "question");
                        if (!string.IsNullOrWhiteSpace(question) && parts.Count < _options.MaxSubQuestions)
                        {
                            double complexity = JsonReply.GetDouble(item, "complexity") ?? 5;
                            parts.Add((question.Trim(), (int)Math.Clamp(Math.Round(complexity), 1, 10)));
                        }
                    }
                }
            }
        }

        if (parts.Count == 0)
        {
            Logger.LogWarning("Decomposition was unusable ({Error}); answering the question as one part.", error.Length > 0 ? error : "no sub-questions");
            parts.Add((context.Request.Question, 5));
        }

        return parts;
    }
}
