using Microsoft.AspNetCore.Mvc;

namespace Agents.Samples.ChatApp.Api;

/// <summary>The chat page's API: conversations, streamed runs and the stop button.</summary>
internal static class ChatEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/config", GetConfig);
        api.MapGet("/conversations", ListConversations);
        api.MapPost("/conversations", CreateConversation);
        api.MapGet("/conversations/{id}", GetConversation);
        api.MapDelete("/conversations/{id}", DeleteConversation);
        api.MapPost("/conversations/{id}/messages", SendMessageAsync);
        api.MapPost("/conversations/{id}/stop", StopRun);
        api.MapPost("/conversations/{id}/asks/{askId}", AnswerAskAsync);
        api.MapGet("/conversations/{id}/messages/{index:int}/report", DownloadReport);
    }

    private static IResult GetConfig([FromServices] IOptions<ChatAppOptions> options, [FromServices] IServiceProvider services)
    {
        var o = options.Value;
        return Results.Json(new
        {
            model = ModelStatus.For(services),
            strategies = new[] { new { id = "bats", name = "BATS" }, new { id = "react", name = "ReAct + budget tracker" }, new { id = "report", name = "Deep research report" } },
            limits = new
            {
                o.Limits.MaxMessageChars,
                o.Limits.MaxSearchUnits,
                o.Limits.MaxBrowseUnits,
                o.Limits.MaxTokens,
                o.Limits.MaxCostUsd,
            },
            defaultBudget = o.DefaultBudget,
        }, ApiJson.Options);
    }

    private static async Task<IResult> ListConversations([FromServices] ConversationStore store, CancellationToken cancellationToken) =>
        Results.Json((await store.ListAsync(cancellationToken)).Select(c => new { c.Id, c.Title, c.IsRunning }), ApiJson.Options);

    private static async Task<IResult> CreateConversation([FromServices] ConversationStore store, CancellationToken cancellationToken)
    {
        var conversation = await store.TryCreateAsync(cancellationToken);
        return conversation is null
            ? Problems.Create(StatusCodes.Status409Conflict, "Too many conversations",
                "The server keeps a limited number of conversations (ChatApp:Limits:MaxConversations); delete one first.")
            : Results.Json(new { conversation.Id, conversation.Title }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetConversation(string id, [FromServices] ConversationStore store, CancellationToken cancellationToken)
    {
        var conversation = await store.FindAsync(id, cancellationToken);
        return conversation is null
            ? NotFound(id)
            : Results.Json(new { conversation.Id, conversation.Title, conversation.IsRunning, Messages = conversation.GetTurns(), PendingAsk = conversation.Asks?.Pending }, ApiJson.Options);
    }

    private static async Task<IResult> DeleteConversation(string id, [FromServices] ConversationStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? Results.NoContent() : NotFound(id);

    private static async Task<IResult> StopRun(string id, [FromServices] ConversationStore store, CancellationToken cancellationToken)
    {
        var conversation = await store.FindAsync(id, cancellationToken);
        if (conversation is null)
        {
            return NotFound(id);
        }

        return conversation.Stop()
            ? Results.Accepted()
            : Problems.Create(StatusCodes.Status409Conflict, "Nothing to stop", "No run is in progress in this conversation.");
    }

    /// <summary>Answers a question of the run in progress: <c>{"grant": true}</c> continues with the units offered, <c>false</c> stops.</summary>
    private static async Task<IResult> AnswerAskAsync(
        string id,
        string askId,
        HttpContext context,
        [FromServices] ConversationStore store,
        [FromServices] IOptions<ChatAppOptions> options)
    {
        var conversation = await store.FindAsync(id, context.RequestAborted);
        if (conversation is null)
        {
            return NotFound(id);
        }

        var (body, error) = await JsonBodyReader.ReadAsync<AnswerAskRequest>(
            context, options.Value.Limits.MaxRequestBytes, ApiJson.Options, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return Problems.Create(error.Status, error.Title, error.Detail);
        }

        if (body!.Grant is not { } grant)
        {
            return Problems.BadRequest("grant is missing; send {\"grant\": true} to continue or {\"grant\": false} to stop.");
        }

        return (conversation.Asks?.Answer(askId, grant) ?? AskAnswerOutcome.NotFound) switch
        {
            AskAnswerOutcome.Answered => Results.Accepted(),
            AskAnswerOutcome.AlreadyAnswered => Problems.Create(StatusCodes.Status409Conflict, "Already answered", $"The question '{askId}' was answered already."),
            _ => Problems.Create(StatusCodes.Status404NotFound, "Question not found", $"The run in progress in conversation '{id}' has no question '{askId}'."),
        };
    }

    private static async Task<IResult> SendMessageAsync(
        string id,
        HttpContext context,
        [FromServices] ConversationStore store,
        [FromServices] IServiceProvider services,
        [FromServices] IOptions<ChatAppOptions> options,
        [FromServices] TimeProvider timeProvider,
        [FromServices] AnswerRenderer renderer,
        [FromServices] ILoggerFactory loggerFactory)
    {
        var settings = options.Value;
        var conversation = await store.FindAsync(id, context.RequestAborted);
        if (conversation is null)
        {
            return NotFound(id);
        }

        if (services.GetService<IAgentRunner>() is not { } runner)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "No agent",
                "No model is configured; set ChatApp:Model (a local ONNX folder or an OpenAI-compatible endpoint) and ChatApp:Research.");
        }

        var (body, error) = await JsonBodyReader.ReadAsync<SendMessageRequest>(
            context, settings.Limits.MaxRequestBytes, ApiJson.Options, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return Problems.Create(error.Status, error.Title, error.Detail);
        }

        var message = body!.Message?.Trim();
        if (string.IsNullOrEmpty(message))
        {
            return Problems.BadRequest("message is missing or empty; type a question.");
        }

        if (message.Length > settings.Limits.MaxMessageChars)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "Message too long",
                $"message has {message.Length} characters; the server accepts at most {settings.Limits.MaxMessageChars}.");
        }

        AgentStrategy strategy;
        switch (body.Strategy?.Trim().ToLowerInvariant())
        {
            case null or "" or "bats":
                strategy = AgentStrategy.Bats;
                break;
            case "react" or "react_with_tracker":
                strategy = AgentStrategy.ReActWithTracker;
                break;
            case "report" or "deep_research":
                strategy = AgentStrategy.Report;
                break;
            default:
                return Problems.BadRequest($"strategy '{body.Strategy}' is unknown; use 'bats', 'react' or 'report'.");
        }

        var budget = body.Budget ?? settings.DefaultBudget;
        if (BudgetRules.Check(budget, settings.Limits, "budget") is { } budgetError)
        {
            return Problems.BadRequest(budgetError);
        }

        if (conversation.GetTurns().Count + 2 > settings.Limits.MaxMessagesPerConversation)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Conversation full",
                $"This conversation has reached {settings.Limits.MaxMessagesPerConversation} messages (ChatApp:Limits:MaxMessagesPerConversation); start a new chat.");
        }

        if (!conversation.TryStartRun(context.RequestAborted, out var run))
        {
            return Problems.Create(StatusCodes.Status409Conflict, "Run in progress",
                "This conversation is already running; wait for it or press stop.");
        }

        var history = conversation.GetTurns();
        try
        {
            await conversation.AddAsync(new ChatTurn("user", message, []), context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            conversation.EndRun(run);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "Not saved",
                $"The message could not be saved, so it was not sent: {ex.Message}");
        }

        RunAsks? asks = null;
        if (settings.AskForMoreUnits > 0)
        {
            asks = new RunAsks(settings.AskTimeout, timeProvider);
            conversation.SetAsks(run, asks);
        }

        var request = new AgentRunRequest(conversation.Id, message, history, strategy, budget) { Approver = asks };
        var stream = new RunEventStream(conversation, run, runner, request, new RunRecorder(renderer), settings.Limits.MaxRunDuration, timeProvider, loggerFactory, asks);

        // Should the result never be written, the run still ends with the response (EndRun is idempotent).
        context.Response.OnCompleted(() =>
        {
            conversation.EndRun(run);
            return Task.CompletedTask;
        });
        NoCache(context.Response);
        return TypedResults.ServerSentEvents(stream.ReadAllAsync());
    }

    /// <summary>Event streams are never cached nor buffered by proxies.</summary>
    internal static void NoCache(HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>A deep-research report as a Markdown file (<c>text/markdown</c>, <c>Content-Disposition: attachment</c>).</summary>
    private static async Task<IResult> DownloadReport(string id, int index, [FromServices] ConversationStore store, CancellationToken cancellationToken)
    {
        var conversation = await store.FindAsync(id, cancellationToken);
        if (conversation is null)
        {
            return NotFound(id);
        }

        var turns = conversation.GetTurns();
        if (index < 0 || index >= turns.Count || !turns[index].IsReport)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Report not found", $"Message {index} of conversation '{id}' is not a report.");
        }

        // The report is untrusted model output: served as an attachment, never rendered by the browser from here.
        var bytes = System.Text.Encoding.UTF8.GetBytes(turns[index].Text);
        return TypedResults.File(bytes, "text/markdown; charset=utf-8", $"report-{id}-{index}.md");
    }

    private static IResult NotFound(string id) =>
        Problems.Create(StatusCodes.Status404NotFound, "Conversation not found", $"There is no conversation '{id}'.");
}
