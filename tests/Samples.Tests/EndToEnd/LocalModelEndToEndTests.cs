using System.Text.RegularExpressions;
using Agents.LocalEngine.Tests.TestModels;

namespace Agents.Samples.Tests.EndToEnd;

/// <summary>
/// The ResearchAgent on the local ONNX path with the LocalEngine tests' tiny random-weight model: its answers are noise,
/// so this proves only the plumbing (model folder → engine → IChatClient → agent → budget) and that the budget holds.
/// </summary>
public sealed partial class LocalModelEndToEndTests
{
    [Fact]
    public async Task The_local_onnx_path_wires_up_and_respects_the_budget()
    {
        await using var web = await OfflineWebScenario.StartAsync(questions: 1);
        string modelDir = Path.Combine(web.Root, "tiny-qwen");
        TestModelFactory.Create(modelDir, TestLayout.Optimum, TestFamily.Qwen, new TinyLlamaSpec { MaxPositions = 8192 });
        string dll = ResearchAgentProcess.Dll;

        var run = await ChildProcess.RunAsync(dll,
        [
            web.Corpus.Questions[0].Question, "--model", modelDir, "--index", web.PagesFolder, "--browser", "http", "--allow-loopback",
            "--strategy", "react+budget", "--budget", "search=2,browse=2,output_tokens=600", "--plain", "--workspace", Path.Combine(web.WorkFolder, "local"),
        ], web.WorkFolder, timeout: TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode is 0 or 1, run.ToString());
        Assert.Contains("Model: local ONNX model " + modelDir, run.StdOut, StringComparison.Ordinal);
        Assert.Matches("(Answer: |No answer: )", run.StdOut);
        var cost = CostLine().Match(run.StdOut);
        Assert.True(cost.Success, run.ToString());
        long searchUsed = long.Parse(cost.Groups["search"].Value, System.Globalization.CultureInfo.InvariantCulture);
        long browseUsed = long.Parse(cost.Groups["browse"].Value, System.Globalization.CultureInfo.InvariantCulture);
        long input = long.Parse(cost.Groups["in"].Value, System.Globalization.CultureInfo.InvariantCulture);
        long output = long.Parse(cost.Groups["out"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(searchUsed, 0, 2);
        Assert.InRange(browseUsed, 0, 2);
        Assert.True(input > 100, $"the prompt was counted: {input} input tokens");
        Assert.True(output > 0, "the engine generated and reported tokens");
        Assert.True(File.Exists(Path.Combine(web.WorkFolder, "local", "answer.json")));
    }

    [GeneratedRegex(@"Cost: \$\d+\.\d{4} \(search (?<search>\d+)/2, browse (?<browse>\d+)/2, default \d+; tokens (?<in>\d+) in / (?<out>\d+) out")]
    private static partial Regex CostLine();
}
