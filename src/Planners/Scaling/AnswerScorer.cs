using System.Text;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace Agents.Planners.Scaling;

/// <summary>Scores a candidate answer with an LLM verifier; an unusable reply scores 0 (never an exception).</summary>
internal sealed class AnswerScorer(IChatClient client, VerifierPrompts prompts, ChatOptions? chatOptions)
{
    private const int EvidenceChars = 1_500;
    private const int EvidenceItems = 3;

    public async Task<(double Score, string Reason)> ScoreAsync(AgentRunContext context, AgentRunResult run, CancellationToken cancellationToken)
    {
        ChatMessage[] messages =
        [
            ModelInvoker.Log(context, new ChatMessage(ChatRole.System, prompts.System)),
            ModelInvoker.Log(context, new ChatMessage(ChatRole.User, PromptTemplate.Render(
                prompts.User, ("question", run.Question), ("answer", run.Answer), ("evidence", Evidence(run))))),
        ];
        ChatResponse response = await ModelInvoker.CallAsync(
            context, client, messages, chatOptions, tools: null, "score", cancellationToken, responseFormat: StructuredOutput.Score).ConfigureAwait(false);
        if (!JsonReply.TryParseObject(response.Text, out JsonDocument? document, out string error))
        {
            return (0, "The verifier's reply was unusable: " + error);
        }

        using (document)
        {
            double? score = JsonReply.GetDouble(document.RootElement, "score");
            return score is double s && s >= 0 && s <= 1
                ? (s, JsonReply.GetString(document.RootElement, "reason") ?? string.Empty)
                : (0, "The verifier's reply had no \"score\" between 0 and 1.");
        }
    }

    private static string Evidence(AgentRunResult run)
    {
        var results = run.Trajectory.Messages
            .SelectMany(m => m.Contents)
            .OfType<FunctionResultContent>()
            .Select(r => r.Result?.ToString() ?? string.Empty)
            .TakeLast(EvidenceItems)
            .ToList();
        if (results.Count == 0)
        {
            return "(no tool results)";
        }

        var builder = new StringBuilder();
        foreach (string result in results)
        {
            builder.Append("- ").AppendLine(result.Length <= EvidenceChars ? result : string.Concat(result.AsSpan(0, EvidenceChars), " [...]"));
        }

        return builder.ToString();
    }
}
