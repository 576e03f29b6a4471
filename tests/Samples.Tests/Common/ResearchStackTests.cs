using Agents.Samples.Common.Composition;
using Agents.Samples.Common.Searching;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Samples.Tests.Common;

public sealed class ResearchStackTests() : TempFolderTests("stack-")
{
    private SearchSettings LocalSearch() =>
        SearchSettings.From(SampleCommandLine.Parse(new System.CommandLine.RootCommand().AddModelAndSearchOptions(), ["--index", Dir, "--browser", "http"]), _ => null);

    [Fact]
    public async Task TryCreate_reports_a_folder_that_is_not_a_model_as_a_model_failure()
    {
        var notAModel = Directory.CreateDirectory(Path.Combine(Dir, "not-a-model")).FullName;
        var error = new StringWriter();
        var (stack, modelFailed) = await ResearchStack.TryCreateAsync(new ModelSettings { ModelDirectory = notAModel }, LocalSearch(), NullLoggerFactory.Instance, error, "the agent");
        Assert.Null(stack);
        Assert.True(modelFailed);
        Assert.StartsWith($"error: the local model in '{notAModel}' cannot be loaded:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryCreate_reports_other_setup_failures_with_the_purpose_and_builds_a_working_stack_otherwise()
    {
        var error = new StringWriter();
        var (stack, modelFailed) = await ResearchStack.TryCreateAsync(new ModelSettings(), LocalSearch(), NullLoggerFactory.Instance, error, "the agents");
        Assert.Null(stack);
        Assert.False(modelFailed);
        Assert.StartsWith("error: could not set up the agents: The settings name no endpoint and model id.", error.ToString(), StringComparison.Ordinal);

        var remote = new ModelSettings { Endpoint = new Uri("http://127.0.0.1:9/v1"), ModelId = "m", ApiKey = "k" };
        var (built, _) = await ResearchStack.TryCreateAsync(remote, LocalSearch(), NullLoggerFactory.Instance, TextWriter.Null, "the agent");
        Assert.NotNull(built);
        await built.DisposeAsync();
    }
}
