using static Agents.Samples.Tests.EndToEnd.ResearchAgentProcess;

namespace Agents.Samples.Tests.EndToEnd;

public sealed class ResearchAgentBadInputTests() : TempFolderTests("ra-bad-")
{
    [Fact]
    public async Task Without_a_model_it_explains_in_one_paragraph_how_to_configure_one()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "documents"));

        var run = await ChildProcess.RunAsync(Dll, ["Which river flows through the capital?"], Dir);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No model is configured", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("--model DIR", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("--endpoint URL --model-id NAME", run.StdErr, StringComparison.Ordinal);
        Assert.Single(run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_first_run_without_model_or_documents_names_both_in_one_message_each_with_its_option()
    {
        var run = await ChildProcess.RunAsync(Dll, ["Which river flows through the capital?"], Dir);

        Assert.Equal(2, run.ExitCode);
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("The research agent needs two things before it can run:", lines[0]);
        Assert.StartsWith("1. A model. No model is configured", lines[1], StringComparison.Ordinal);
        Assert.Contains("--model DIR", lines[1], StringComparison.Ordinal);
        Assert.Contains("--endpoint URL --model-id NAME", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2. Documents or a search provider. The local search index folder '" + Path.Combine(Dir, "documents") + "' does not exist.", lines[2], StringComparison.Ordinal);
        Assert.Contains("--index DIR", lines[2], StringComparison.Ordinal);
        Assert.Contains("--search searxng (--searxng-url URL)", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--budget", "serach=20" }, "Did you mean 'search'?")]
    [InlineData(new[] { "--budget", "search=twenty" }, "search must be a positive whole number")]
    [InlineData(new[] { "--mode", "reprot" }, "Did you mean 'report'?")]
    [InlineData(new[] { "--strategy", "bast" }, "Did you mean 'bats'?")]
    [InlineData(new[] { "--budgte", "search=1" }, "Unknown option '--budgte'. Did you mean '--budget'?")]
    [InlineData(new[] { "--endpoint", "http://127.0.0.1:9/v1" }, "add --model-id NAME")]
    public async Task Bad_options_get_a_clear_message_and_exit_code_2(string[] extra, string expected)
    {
        var run = await ChildProcess.RunAsync(Dll, ["What?", .. extra], Dir);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_is_not_a_model_is_explained_naming_what_is_missing()
    {
        string notAModel = Path.Combine(Dir, "not-a-model");
        Directory.CreateDirectory(notAModel);
        Directory.CreateDirectory(Path.Combine(Dir, "docs"));
        var run = await ChildProcess.RunAsync(Dll, ["What?", "--model", notAModel, "--index", Path.Combine(Dir, "docs"), "--browser", "http"], Dir);
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"error: the local model in '{notAModel}' cannot be loaded:", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_index_folder_is_explained()
    {
        var run = await ChildProcess.RunAsync(Dll, ["What?", "--endpoint", "http://127.0.0.1:9/v1", "--model-id", "m", "--index", Path.Combine(Dir, "nope")], Dir);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("--index DIR", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_reported_with_exit_code_3()
    {
        Uri endpoint;
        await using (var gone = await FakeOpenAIServer.StartAsync("k", _ => FakeReply.Say("x")))
        {
            endpoint = gone.Endpoint;
        }

        Directory.CreateDirectory(Path.Combine(Dir, "docs"));
        await File.WriteAllTextAsync(Path.Combine(Dir, "docs", "a.md"), "# A\n\nSome text.");
        var run = await ChildProcess.RunAsync(Dll, ["What?", "--endpoint", endpoint.ToString(), "--model-id", "m", "--index", Path.Combine(Dir, "docs"), "--browser", "http", "--strategy", "react"], Dir, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "k" });
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("Could not reach the model endpoint " + endpoint, run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_api_key_is_reported_naming_the_variable()
    {
        await using var model = await FakeOpenAIServer.StartAsync("right-key", _ => FakeReply.Say("<answer>x</answer>"));
        Directory.CreateDirectory(Path.Combine(Dir, "docs"));
        var run = await ChildProcess.RunAsync(Dll, ["What?", "--endpoint", model.Endpoint.ToString(), "--model-id", "m", "--index", Path.Combine(Dir, "docs"), "--browser", "http", "--api-key-env", "MY_LLM_KEY"], Dir, new Dictionary<string, string?> { ["MY_LLM_KEY"] = "wrong-key" });
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("rejected the API key (HTTP 401)", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("MY_LLM_KEY", run.StdErr, StringComparison.Ordinal);
        Assert.True(model.Unauthorized >= 1);
    }
}
