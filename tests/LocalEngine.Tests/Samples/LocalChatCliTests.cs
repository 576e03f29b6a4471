using System.Diagnostics;

namespace Agents.LocalEngine.Tests.Samples;

[Collection(ModelCollection.Name)]
public sealed class LocalChatCliTests(ModelFixture models)
{
    private static string SampleDll()
    {
        // tests/LocalEngine.Tests/bin/<Configuration>/<tfm>/ -> samples/LocalChat/bin/<Configuration>/<tfm>/LocalChat.dll
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var root = tfm.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "samples", "LocalChat", "bin", configuration, tfm.Name, "LocalChat.dll");
        Assert.True(File.Exists(dll), $"LocalChat was not built at {dll}");
        return dll;
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(SampleDll());
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Json_output_matches_the_engine_for_chat_and_raw_prompts()
    {
        const string prompt = "The weather in Paris";
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var settings = new LocalGenerationSettings { MaxTokens = 8, MinTokens = 8, DoSample = false };
        var chat = await engine.GenerateAsync(engine.TokenizeChat([new ChatMessage(ChatRole.User, prompt)]), settings);
        var raw = await engine.GenerateAsync(engine.Tokenize(prompt), settings);

        var (code, stdout, stderr) = await RunAsync("--model", models.Qwen.Directory, "--prompt", prompt, "--greedy", "--max-tokens", "8", "--min-tokens", "8", "--json");
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            var root = doc.RootElement;
            Assert.Equal(chat.TokenIds, root.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(chat.Text, root.GetProperty("text").GetString());
            Assert.True(root.GetProperty("prefill_ms").GetDouble() > 0);
            Assert.True(root.GetProperty("decode_ms_per_token").GetDouble() > 0);
            Assert.Equal(["token_ids", "text", "prefill_ms", "decode_ms_per_token"], root.EnumerateObject().Select(p => p.Name));
        }

        (code, stdout, stderr) = await RunAsync("--model", models.Qwen.Directory, "--prompt", prompt, "--raw", "--greedy", "--max-tokens", "8", "--min-tokens", "8", "--json");
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal(raw.TokenIds, doc.RootElement.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()));
        }
    }

    [Fact]
    public async Task Plain_output_streams_the_text_on_the_genai_layout()
    {
        using var engine = new LocalOnnxEngine(models.GenAi.Directory);
        var expected = await engine.GenerateAsync(engine.TokenizeChat([new ChatMessage(ChatRole.User, "hi")]), new LocalGenerationSettings { MaxTokens = 6, MinTokens = 6, DoSample = false });
        var (code, stdout, stderr) = await RunAsync("--model", models.GenAi.Directory, "--prompt", "hi", "--greedy", "--max-tokens", "6", "--min-tokens", "6");
        Assert.True(code == 0, stderr);
        Assert.Equal(expected.Text + Environment.NewLine, stdout);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_explains_every_option_and_exits_0(string flag)
    {
        var (code, stdout, stderr) = await RunAsync(flag);

        Assert.True(code == 0, stderr);
        Assert.Empty(stderr);
        foreach (var option in new[] { "--model <DIR>", "--prompt <TEXT>", "--raw", "--max-tokens <N>", "--min-tokens <N>", "--greedy", "--json", "--bench", "README.md" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bench_prints_prefill_and_decode_speed()
    {
        var (code, stdout, stderr) = await RunAsync("--model", models.Qwen.Directory, "--bench", "--max-tokens", "6", "--json");
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            var root = doc.RootElement;
            Assert.True(root.GetProperty("prompt_tokens").GetInt32() > 0);
            Assert.Equal(6, root.GetProperty("generated_tokens").GetInt32());
            Assert.Equal(5, root.GetProperty("decode_tokens").GetInt32());
            Assert.True(root.GetProperty("prefill_tokens_per_s").GetDouble() > 0);
            Assert.True(root.GetProperty("decode_tokens_per_s").GetDouble() > 0);
        }

        (code, stdout, stderr) = await RunAsync("--model", models.Qwen.Directory, "--bench", "--max-tokens", "5");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^prefill: \d+ prompt tokens in [0-9.]+ ms = [0-9.]+ tokens/s$", lines[0]);
        Assert.Matches(@"^decode:  4 tokens in [0-9.]+ ms = [0-9.]+ tokens/s \([0-9.]+ ms/token\)$", lines[1]);
    }

    [Theory]
    [InlineData(2, "--prompt", "x")]
    [InlineData(2, "--model")]
    [InlineData(2, "--model", "m", "--prompt", "x", "--max-tokens", "many")]
    [InlineData(2, "--model", "m", "--prompt", "x", "--bogus")]
    public async Task Bad_arguments_exit_with_usage(int expectedCode, params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);
        Assert.Equal(expectedCode, code);
        Assert.Contains("usage: LocalChat", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_model_folder_is_named_and_fails()
    {
        var missing = Path.Combine(models.Root, "no-such-model");
        var (code, _, stderr) = await RunAsync("--model", missing, "--prompt", "x");
        Assert.Equal(1, code);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
    }
}
