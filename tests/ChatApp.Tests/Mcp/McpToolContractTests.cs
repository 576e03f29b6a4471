using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Agents.Samples.ChatApp.Tests.Mcp;

/// <summary>
/// The MCP tools' contract, through the real MCP client over Streamable HTTP to the server process on 127.0.0.1:
/// descriptions that match the input schema and the charge, <c>outputSchema</c>, <c>isError</c> on every failure,
/// and errors that never show a client the server's internals.
/// </summary>
public sealed partial class McpToolContractTests
{
    [Fact]
    public async Task Every_description_names_parameters_as_the_input_schema_does_states_the_charge_and_the_output_schema_is_declared()
    {
        await using var server = await StartAsync("--Mcp:Model:Provider=openai", "--Mcp:Model:Endpoint=http://127.0.0.1:9/v1", "--Mcp:Model:ModelId=none");
        await using var client = await ConnectAsync(server);

        var tools = await client.ListToolsAsync();

        var toolNames = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("research", toolNames);
        var categories = new HashSet<string>(StringComparer.Ordinal) { "search", "browse", "browse_find", "memory", "research" };
        foreach (var tool in tools)
        {
            var description = tool.Description!;
            var parameters = tool.JsonSchema.TryGetProperty("properties", out var properties)
                ? properties.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
                : [];

            // Every identifier-looking word (snake_case, camelCase, name=..., 'quoted') is a parameter, a tool or a budget category.
            var words = SnakeCase().Matches(description).Select(m => m.Value)
                .Concat(CamelCase().Matches(description).Select(m => m.Value))
                .Concat(Assignment().Matches(description).Select(m => m.Groups[1].Value))
                .Concat(Quoted().Matches(description).Select(m => m.Groups[1].Value));
            foreach (var word in words)
            {
                Assert.True(parameters.Contains(word) || toolNames.Contains(word) || categories.Contains(word),
                    $"The description of '{tool.Name}' names '{word}', which is neither a parameter ({string.Join(", ", parameters)}) nor a tool nor a budget category: {description}");
            }

            // The charge is stated, and a charged category is one the server has.
            if (tool.Name == "budget_status")
            {
                Assert.Contains("Free", description, StringComparison.Ordinal);
            }
            else
            {
                var charged = ChargedCategory().Match(description);
                Assert.True(charged.Success, $"The description of '{tool.Name}' does not say what a call is charged: {description}");
                Assert.Contains(charged.Groups[1].Value, categories);
                // What is free (repeated queries, pages already read, refused calls) holds here too: the MCP tools charge
                // through the same pipeline, whose ToolChargeContext lets the plugin give those units back.
            }

            var output = tool.ProtocolTool.OutputSchema;
            Assert.True(output is { ValueKind: JsonValueKind.Object }, $"'{tool.Name}' declares no outputSchema although it returns structured content.");
            Assert.Equal("object", output.Value.GetProperty("type").GetString());
        }

        Assert.Contains("'browse_find' budget", tools.Single(t => t.Name == "browser_find_in_page").Description, StringComparison.Ordinal);
        var status = await CallAsync(client, "budget_status", new());
        AssertMatchesOutputSchema(tools.Single(t => t.Name == "budget_status").ProtocolTool.OutputSchema!.Value, status.StructuredContent!.Value);
    }

    [Fact]
    public async Task Failures_come_back_with_isError_true_and_name_the_mcp_tool()
    {
        await using var web = await LocalWebPages.StartAsync();
        await using var server = await StartAsync("--Mcp:Budget:SearchUnits=1");
        await using var client = await ConnectAsync(server);
        var created = await CallAsync(client, "memory_create_file", new() { ["path"] = "notes/a.md", ["content"] = "one\ntwo" });
        Assert.False(created.IsError, Text(created));
        var tools = await client.ListToolsAsync();

        var failures = new (string Tool, Dictionary<string, object?> Arguments, string Expected)[]
        {
            ("memory_read_file", new() { ["path"] = "notes/a.md", ["startLine"] = 99 }, "outside"),
            ("memory_replace_lines", new() { ["path"] = "notes/a.md", ["startLine"] = 5, ["endLine"] = 9, ["content"] = "x" }, "Error"),
            ("memory_delete_lines", new() { ["path"] = "notes/a.md", ["startLine"] = 2, ["endLine"] = 1 }, "Error"),
            ("memory_read_file", new() { ["path"] = "../../../../etc/passwd" }, "Error"),
            ("memory_read_file", new() { ["path"] = "notes/missing.md" }, "Error"),
            ("memory_read_file", new() { ["startLine"] = 1 }, "path"),
            ("memory_read_file", new() { ["path"] = "notes/a.md", ["startLine"] = "first" }, "startLine"),
            ("browser_browse", new() { ["urls"] = new[] { web.Article.ToString() }, ["goal"] = "x" }, "Could not read this page"),
            ("browser_browse", new() { ["urls"] = new[] { "file:///etc/passwd" }, ["goal"] = "x" }, "URL 1"),
            ("browser_find_in_page", new() { ["url"] = web.Article.ToString(), ["text"] = "tracker" }, "browse"),
            ("web_search", new() { ["query"] = "lucene" }, "'web_search'"),
            ("web_search", new() { ["queries"] = Array.Empty<string>() }, "array of 'web_search' is empty"),
            ("web_search", new() { ["queries"] = new[] { "lucene", "tracker" } }, "Refused: "),
        };
        foreach (var (tool, arguments, expected) in failures)
        {
            var result = await CallAsync(client, tool, arguments);
            var text = Text(result);
            Assert.True(result.IsError, $"{tool}({JsonSerializer.Serialize(arguments)}) failed without isError: {text}");
            Assert.Contains(expected, text, StringComparison.Ordinal);
            AssertMatchesOutputSchema(tools.Single(t => t.Name == tool).ProtocolTool.OutputSchema!.Value, result.StructuredContent!.Value);
        }

        var found = await CallAsync(client, "web_search", new() { ["queries"] = new[] { "lucene" } });
        Assert.False(found.IsError, Text(found));
    }

    [Fact]
    public async Task Find_in_page_is_charged_what_its_description_says()
    {
        await using var web = await LocalWebPages.StartAsync();
        await using var server = await StartAsync("--Mcp:Research:AllowLoopback=true", "--Mcp:Budget:BrowseUnits=5");
        await using var client = await ConnectAsync(server);
        var read = await CallAsync(client, "browser_browse", new() { ["urls"] = new[] { web.Article.ToString() }, ["goal"] = "arXiv number" });
        Assert.False(read.IsError, Text(read));

        var found = await CallAsync(client, "browser_find_in_page", new() { ["url"] = web.Article.ToString(), ["text"] = "one hundred" });

        Assert.False(found.IsError, Text(found));
        var description = (await client.ListToolsAsync()).Single(t => t.Name == "browser_find_in_page").Description!;
        Assert.Contains("Charged: one unit per call of the server's 'browse_find' budget", description, StringComparison.Ordinal);
        Assert.Equal(1, Category(found, "browse_find").GetProperty("used").GetInt64());
        Assert.Equal(1, Category(found, "browse").GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task A_failing_upstream_model_reaches_the_client_only_as_an_error_id_and_the_log_has_the_details()
    {
        await using var upstream = await FailingUpstream.StartAsync();
        await using var server = await StartAsync("--Mcp:Model:Provider=openai", $"--Mcp:Model:Endpoint={upstream.BaseAddress}v1", "--Mcp:Model:ModelId=broken");
        await using var client = await ConnectAsync(server);

        var research = await CallAsync(client, "research", new() { ["question"] = "What is Lucene.Net?" });

        var text = Text(research);
        Assert.True(research.IsError, text);
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        var errorId = UpstreamFailure.ErrorId().Match(text);
        Assert.True(errorId.Success, text);
        Assert.True(upstream.Calls > 0);
        string logged = $"The upstream model failed (error id {errorId.Value})";
        string output = await server.WaitForOutputAsync(logged, TimeSpan.FromSeconds(30));
        Assert.Contains(logged, output, StringComparison.Ordinal);
        Assert.Contains(UpstreamFailure.Secret, output, StringComparison.Ordinal);
    }

    internal static void AssertMatchesOutputSchema(JsonElement schema, JsonElement value)
    {
        Assert.Equal(JsonValueKind.Object, value.ValueKind);
        foreach (var required in schema.GetProperty("required").EnumerateArray())
        {
            Assert.True(value.TryGetProperty(required.GetString()!, out _), $"The structured content lacks '{required.GetString()}': {value}");
        }

        foreach (var property in value.EnumerateObject())
        {
            Assert.True(schema.GetProperty("properties").TryGetProperty(property.Name, out _), $"The output schema does not declare '{property.Name}'.");
        }
    }

    private static Task<ServerProcess> StartAsync(params string[] arguments) =>
        McpServerProcess.StartHttpAsync(McpServerProcess.OverFolders(arguments));

    private static Task<McpClient> ConnectAsync(ServerProcess server) =>
        McpExposureTests.ConnectAsync(McpServerProcess.Endpoint(server), null);

    [GeneratedRegex(@"\b[a-z]+(?:_[a-z]+)+\b")]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"\b[a-z]+[A-Z][A-Za-z]*\b")]
    private static partial Regex CamelCase();

    [GeneratedRegex(@"\b([A-Za-z_]+)=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"'([A-Za-z_]+)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"Charged: .*? of the server's '([a-z_]+)' budget")]
    private static partial Regex ChargedCategory();

    /// <summary>An OpenAI-compatible endpoint on 127.0.0.1 that fails every call with internal details in its error.</summary>
    private sealed class FailingUpstream : IAsyncDisposable
    {
        private LoopbackApp _app = null!;
        private int _calls;

        public Uri BaseAddress => _app.BaseAddress;

        public int Calls => Volatile.Read(ref _calls);

        public static async Task<FailingUpstream> StartAsync()
        {
            var upstream = new FailingUpstream();
            upstream._app = await LoopbackApp.StartAsync(app => app.MapPost("/v1/chat/completions", () =>
            {
                Interlocked.Increment(ref upstream._calls);
                return Results.Text(
                    JsonSerializer.Serialize(new { error = new { message = UpstreamFailure.Message, type = "invalid_request_error", param = (string?)null, code = "secret_leak" } }),
                    "application/json", statusCode: StatusCodes.Status400BadRequest);
            }));
            return upstream;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
