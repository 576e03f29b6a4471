using System.ClientModel;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;

namespace Agents.Samples.ChatApp.Tests.Api;

/// <summary>
/// When the upstream model fails, its raw error (here a fake path and key) goes to the server log under an id;
/// the client sees a generic message with that id: completions streaming and not, and the chat page's runs.
/// </summary>
public sealed class UpstreamErrorTests
{
    [Fact]
    public async Task Completions_show_only_an_error_id_streaming_and_not_and_the_log_has_the_details()
    {
        var logs = new ListLoggerProvider();
        await using var app = await CompletionsApp.StartAsync(Failing(), services: s => s.AddSingleton<ILoggerProvider>(logs));
        using var http = app.CreateClient();

        using var response = await http.PostAsync("v1/chat/completions", Json("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertHiddenAndLogged(body, logs);
        Assert.Equal("server_error", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("type").GetString());

        using var streamed = await http.PostAsync("v1/chat/completions", Json("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true}"));
        var events = await streamed.Content.ReadAsStringAsync();
        Assert.Contains("\"type\":\"server_error\"", events, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", events, StringComparison.Ordinal);
        AssertHiddenAndLogged(events, logs);

        var chat = app.OpenAIChat();
        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("x")]));
        AssertHiddenAndLogged(error.Message, logs);
    }

    [Fact]
    public async Task A_chat_page_run_whose_model_fails_shows_only_an_error_id_and_the_log_has_the_details()
    {
        var logs = new ListLoggerProvider();
        await using var app = await TestApp.StartOverFoldersAsync(s =>
        {
            s.AddSingleton<IChatClient>(Failing());
            s.AddSingleton<ILoggerProvider>(logs);
        });
        using var http = app.CreateClient();
        var id = await CreateConversationAsync(http);

        foreach (var strategy in new[] { "react", "bats" })
        {
            using var response = await http.PostAsync($"api/conversations/{id}/messages", Json($"{{\"message\":\"Which library?\",\"strategy\":\"{strategy}\"}}"));
            var events = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertHiddenAndLogged(events, logs);
        }
    }

    private static ScriptedChatClient Failing() =>
        new((_, _) => throw new InvalidOperationException(UpstreamFailure.Message));

    private static void AssertHiddenAndLogged(string clientText, ListLoggerProvider logs)
    {
        Assert.DoesNotContain("secret", clientText, StringComparison.OrdinalIgnoreCase);
        var match = UpstreamFailure.ErrorId().Match(clientText);
        Assert.True(match.Success, "The client got no error id: " + clientText);
        Assert.True(
            logs.Entries.Any(e => e.Contains(match.Value, StringComparison.Ordinal) && e.Contains(UpstreamFailure.Secret, StringComparison.Ordinal)),
            $"No log entry has both the id {match.Value} and the upstream error:\n{logs.Text}");
    }
}
