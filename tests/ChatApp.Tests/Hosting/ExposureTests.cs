using System.Globalization;
using Agents.Samples.ChatApp.Hosting;
using Microsoft.Extensions.Options;

namespace Agents.Samples.ChatApp.Tests.Hosting;

/// <summary>
/// Who may reach the chat app: the API key is required from the addresses actually bound (whatever setting bound
/// them), and every request's Host must name this server (DNS rebinding).
/// </summary>
public sealed class ExposureTests
{
    private const string Key = "chat-test-key-0123456789";

    private static string Dll => ServerProcess.SampleDll("ChatApp", "Agents.Samples.ChatApp");

    [Theory]
    [InlineData("--Kestrel:Endpoints:X:Url", "http://0.0.0.0:{0}")]
    [InlineData("--urls", "http://+:{0}")]
    public async Task Bound_beyond_loopback_it_refuses_to_run_without_a_key_and_with_one_serves_only_key_holders(string setting, string address)
    {
        string[] Listen(int port) => [setting, string.Format(CultureInfo.InvariantCulture, address, port)];

        var (exitCode, output) = await ServerProcess.RunToExitAsync(Dll, Listen);

        Assert.Equal(2, exitCode);
        Assert.Contains("Refusing to run: The server listens on http://", output, StringComparison.Ordinal);
        Assert.Contains("which other machines can reach, and ChatApp:ApiKey is not set, so it refuses to run.", output, StringComparison.Ordinal);

        await using var server = await ServerProcess.StartAsync(Dll, port => [.. Listen(port), "--ChatApp:ApiKey=" + Key]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
        using (var anonymous = await http.GetAsync("api/config"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/config");
        request.Headers.Add("X-Api-Key", Key);
        using var withKey = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    [Fact]
    public async Task A_Host_that_does_not_name_the_server_is_refused_and_AllowedHosts_admits_more()
    {
        await using (var app = await TestApp.StartAsync())
        {
            using var http = app.CreateClient();
            var port = app.BaseAddress.Port;
            Assert.Equal(HttpStatusCode.OK, await StatusWithHostAsync(http, "api/config", $"127.0.0.1:{port}"));
            Assert.Equal(HttpStatusCode.OK, await StatusWithHostAsync(http, "api/config", $"localhost:{port}"));
            Assert.Equal(HttpStatusCode.OK, await StatusWithHostAsync(http, "api/config", $"[::1]:{port}"));

            // A DNS-rebinding page's requests carry its own name: refused everywhere, static page included.
            foreach (var path in new[] { "api/config", "", "v1/models" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Host = $"evil.example:{port}";
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Contains("add the host to ChatApp:AllowedHosts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using var openAi = new HttpRequestMessage(HttpMethod.Get, "v1/models");
            openAi.Headers.Host = "evil.example";
            using var openAiResponse = await http.SendAsync(openAi);
            var error = JsonDocument.Parse(await openAiResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        }

        await using (var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["ChatApp:AllowedHosts"] = "chat.example.org; *.corp.example" }))
        {
            using var http = app.CreateClient();
            Assert.Equal(HttpStatusCode.OK, await StatusWithHostAsync(http, "api/config", "chat.example.org"));
            Assert.Equal(HttpStatusCode.OK, await StatusWithHostAsync(http, "api/config", "team.corp.example:443"));
            Assert.Equal(HttpStatusCode.BadRequest, await StatusWithHostAsync(http, "api/config", "corp.example.evil.example"));
            Assert.Equal(HttpStatusCode.BadRequest, await StatusWithHostAsync(http, "api/config", "evil.example"));
        }
    }

    [Theory]
    [InlineData("http://chat.example.org")]
    [InlineData("chat.example.org:8080")]
    [InlineData("chat example")]
    public void A_malformed_AllowedHosts_entry_fails_at_start_naming_the_option(string entry)
    {
        var error = Assert.Throws<OptionsValidationException>(() => ChatAppHost.Build(["--ChatApp:Urls=http://127.0.0.1:0", "--ChatApp:AllowedHosts=" + entry]));

        Assert.Contains($"ChatApp:AllowedHosts contains '{entry}', which is not a host name or IP address", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusWithHostAsync(HttpClient http, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
