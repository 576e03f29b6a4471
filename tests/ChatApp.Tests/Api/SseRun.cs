namespace Agents.Samples.ChatApp.Tests.Api;

/// <summary>A run's event stream read as it comes, so that a test can act between its events.</summary>
internal sealed class SseRun : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseRun(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<SseRun> StartAsync(HttpClient http, string conversationId, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/conversations/{conversationId}/messages") { Content = Json(body) };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseRun(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Reads events up to and including the first one named <paramref name="name"/>.</summary>
    public async Task<List<(string Name, JsonElement Data)>> ReadUntilAsync(string name)
    {
        var events = new List<(string Name, JsonElement Data)>();
        string? eventName = null;
        while (await _reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((eventName!, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
                if (eventName == name)
                {
                    return events;
                }
            }
        }

        throw new InvalidOperationException($"The stream ended without a '{name}' event; it had: {string.Join(", ", events.Select(e => e.Name))}.");
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
