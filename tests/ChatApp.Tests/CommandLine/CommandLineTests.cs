using Agents.Samples.ChatApp.CommandLine;

namespace Agents.Samples.ChatApp.Tests.CommandLine;

/// <summary><c>--help</c> of both servers (real child processes) and how their options reach configuration.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task ChatApp_help_exits_0_and_lists_the_main_settings_without_starting()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(ServerProcess.SampleDll("ChatApp", "Agents.Samples.ChatApp"), _ => ["--help"]);

        Assert.Equal(0, exitCode);
        foreach (var (name, key, _) in ChatAppCommandLine.Settings)
        {
            Assert.Contains(name, output, StringComparison.Ordinal);
            Assert.Contains(key, output, StringComparison.Ordinal);
        }

        Assert.Contains("--Section:Key=value", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task McpServer_help_exits_0_and_lists_the_main_settings()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(McpServerProcess.DllPath, _ => ["-h"]);

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--transport", "Mcp:Transport", "--listen", "Mcp:Urls", "--api-key", "--documents", "Mcp:Research:DocumentsFolder", "--search-units", "Mcp:Budget:SearchUnits" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_become_configuration_keys_and_other_arguments_pass_through_unchanged()
    {
        var (exitCode, arguments) = ChatAppCommandLine.Parse(
            ["--ChatApp:Limits:MaxTokens=5", "--listen", "http://127.0.0.1:0", "--urls", "http://+:1", "--documents=/data/docs", "@not-a-response-file"]);

        Assert.Null(exitCode);
        Assert.Equal(
            ["--ChatApp:Limits:MaxTokens=5", "--urls", "http://+:1", "@not-a-response-file", "--ChatApp:Urls=http://127.0.0.1:0", "--ChatApp:Research:DocumentsFolder=/data/docs"],
            arguments);
    }

    [Fact]
    public void An_option_without_its_value_is_an_error_that_names_it()
    {
        using var output = new StringWriter();

        var (exitCode, arguments) = ChatAppCommandLine.Parse(["--listen"], output);

        Assert.NotEqual(0, exitCode);
        Assert.Empty(arguments);
        Assert.Contains("--listen", output.ToString(), StringComparison.Ordinal);
    }
}
