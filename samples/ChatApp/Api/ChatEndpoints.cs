using Agents.Samples.ChatApp.Agents;
using Agents.Samples.ChatApp.Conversations;
using Agents.Samples.ChatApp.Hosting;
using Agents.Samples.ChatApp.Rendering;
using Agents.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Agents.Samples.ChatApp.Api;

/// <summary>The chat page's API: conversations, streamed runs and the stop button.</summary>
internal static partial class ChatEndpoints
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
    }

    private static IResult GetConfig([FromServices] IOptions<ChatAppOptions> options, [FromServices] IServiceProvider services)
    {
        var o = options.Value;
        return Results.Json(new
        {
            model = ModelStatus.For(services),
            strategies = new[] { new { id = "bats", name = "BATS" }, new { id = "react", name = "ReAct + budget tracker" } },
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

    private static IResult ListConversations([FromServices] ConversationStore store) =>
        Results.Json(store.List().Select(c => new { c.Id, c.Title, c.IsRunning }), ApiJson.Options);

    private static IResult CreateConversation([FromServices] ConversationStore store)
    {
        var conversation = store.TryCreate();
        return conversation is null
            ? Problems.Create(StatusCodes.Status409Conflict, "Too many conversations",
                "The server keeps a limited number of conversations (ChatApp:Limits:MaxConversations); delete one first.")
            : Results.Json(new { conversation.Id, conversation.Title }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static IResult GetConversation(string id, [FromServices] ConversationStore store)
    {
        var conversation = store.Find(id);
        return conversation is null
            ? NotFound(id)
            : Results.Json(new { conversation.Id, conversation.Title, conversation.IsRunning, Messages = conversation.GetTurns() }, ApiJson.Options);
    }

    private static IResult DeleteConversation(string id, [FromServices] ConversationStore store) =>
        store.Delete(id) ? Results.NoContent() : NotFound(id);

    private static IResult StopRun(string id, [FromServices] ConversationStore store)
    {
        var conversation = store.Find(id);
        if (conversation is null)
        {
            return NotFound(id);
        }

        return conversation.Stop()
            ? Results.Accepted()
            : Problems.Create(StatusCodes.Status409Conflict, "Nothing to stop", "No run is in progress in this conversation.");
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
        var conversation = store.Find(id);
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
            default:
                return Problems.BadRequest($"strategy '{body.Strategy}' is unknown; use 'bats' or 'react'.");
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

        var logger = loggerFactory.CreateLogger("Agents.Samples.ChatApp.Runs");
        try
        {
            using var timeout = new CancellationTokenSource(settings.Limits.MaxRunDuration, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(run.Token, timeout.Token);
            var history = conversation.GetTurns();
            conversation.Add(new ChatTurn("user", message, []));
            var request = new AgentRunRequest(conversation.Id, message, history, strategy, budget);

            SseWriter.Start(context);
            var writer = new SseWriter(context.Response);
            var recorder = new RunRecorder(renderer);
            string status;
            try
            {
                await foreach (var agentEvent in runner.RunAsync(request, linked.Token).WithCancellation(linked.Token).ConfigureAwait(false))
                {
                    await writer.WriteAsync(recorder.Record(agentEvent), linked.Token).ConfigureAwait(false);
                }

                status = "completed";
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                status = conversation.WasStopRequested ? "cancelled" : timeout.IsCancellationRequested ? "timed_out" : "disconnected";
                LogRunEnded(logger, conversation.Id, status);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The raw error goes to the log only; the page gets its id.
                var errorId = ErrorIds.New();
                LogRunFailed(logger, ex, conversation.Id, errorId);
                status = "failed";
                await writer.WriteAsync(recorder.Record(new ErrorEvent(ErrorIds.ClientMessage("The agent", errorId))), context.RequestAborted).ConfigureAwait(false);
            }

            var done = recorder.Record(new DoneEvent(status));
            if (recorder.ToTurn() is { } turn)
            {
                conversation.Add(turn);
            }

            if (!context.RequestAborted.IsCancellationRequested)
            {
                await writer.WriteAsync(done, context.RequestAborted).ConfigureAwait(false);
            }

            return Results.Empty;
        }
        finally
        {
            conversation.EndRun(run);
        }
    }

    private static IResult NotFound(string id) =>
        Problems.Create(StatusCodes.Status404NotFound, "Conversation not found", $"There is no conversation '{id}'.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Run in conversation {ConversationId} ended: {Status}")]
    private static partial void LogRunEnded(ILogger logger, string conversationId, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run in conversation {ConversationId} failed (error id {ErrorId})")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string conversationId, string errorId);
}
