using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Agents.Planners.Tests.DeepResearch;

/// <summary>Runs the workflow in a real child process, kills it with SIGKILL mid-run, and resumes it.</summary>
public sealed class ResumeAfterKillTests
{
    [Fact]
    public async Task KilledRunResumesWithoutLosingNotesOrDuplicatingSources()
    {
        await using var web = await LocalWeb.StartAsync();
        var root = Path.Combine(Path.GetTempPath(), "agents-deepresearch-kill", Guid.NewGuid().ToString("N"));
        try
        {
            // Run 1: killed with SIGKILL while round 2 reads its first page.
            Process? child = null;
            var killed = 0;
            web.OnPage = name =>
            {
                if (name == "wind-1" && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    child!.Kill(); // SIGKILL on Unix: no cleanup code runs in the child.
                    child.WaitForExit();
                }
            };
            child = StartHost(root, web.BaseUri);
            var (exit1, output1) = await WaitAsync(child);
            Assert.Equal(1, killed);
            Assert.Equal(137, exit1);
            Assert.DoesNotContain("RESULT", output1);

            var kbLogAfterKill = File.ReadAllText(Path.Combine(root, DeepResearchFiles.KnowledgeBaseLog));
            Assert.Equal(["# Round 1", "# Round 2"], Rounds(kbLogAfterKill));
            var solarNote = File.ReadAllText(Path.Combine(root, "knowledge_base/energy/solar.md"));
            Assert.False(File.Exists(Path.Combine(root, DeepResearchFiles.Report)));

            // The spend up to the kill is on disk: round 1's search and browse and round 2's search, not the browse in flight.
            var spendAtKill = ReadSpend(root);
            var pagesAtKill = web.PageRequests.Count;
            Assert.InRange(spendAtKill.GetUnits("search"), 2, 20);
            Assert.Equal(pagesAtKill - 1, spendAtKill.GetUnits("browse"));
            Assert.True(spendAtKill.InputTokens > 0);

            // Run 2: a fresh process on the same workspace resumes at round 3 and finishes.
            web.OnPage = null;
            using var rerun = StartHost(root, web.BaseUri);
            var (exit2, output2) = await WaitAsync(rerun);

            Assert.True(exit2 == 0, output2);
            Assert.Contains("RESULT builder=Completed/1 writer=Completed/3 citations=True", output2);

            // One budget over both processes: the resumed tracker continued from the spend stored before the kill.
            var spend = ReadSpend(root);
            Assert.Equal(spendAtKill.GetUnits("browse") + (web.PageRequests.Count - pagesAtKill), spend.GetUnits("browse"));
            Assert.True(spend.GetUnits("search") > spendAtKill.GetUnits("search"));
            Assert.True(spend.InputTokens > spendAtKill.InputTokens);
            Assert.Contains($" search={spend.GetUnits("search")} browse={spend.GetUnits("browse")} input={spend.InputTokens}", output2);
            var kbLog = File.ReadAllText(Path.Combine(root, DeepResearchFiles.KnowledgeBaseLog));
            Assert.Equal(["# Round 1", "# Round 2", "# Round 3"], Rounds(kbLog));
            Assert.StartsWith(kbLogAfterKill, kbLog, StringComparison.Ordinal);
            Assert.Equal(solarNote, File.ReadAllText(Path.Combine(root, "knowledge_base/energy/solar.md")));
            Assert.True(File.Exists(Path.Combine(root, "knowledge_base/energy/storage.md")));
            Assert.Empty(Directory.GetFiles(root, ".tmp-*", SearchOption.AllDirectories));

            using var workspace = new MemoryWorkspace(new MemoryWorkspaceOptions { RootPath = root });
            var sources = await new SourceArchive(workspace).ListAsync(CancellationToken.None);
            Assert.Equal(sources.Count, sources.Select(s => s.Url).Distinct().Count());
            Assert.Equal(["solar-1", "solar-2", "storage-1", "storage-2"], sources.Select(s => s.Url.Segments[^1]).Order());
            var citations = await new CitationChecker(workspace).CheckAsync(DeepResearchFiles.Report, CancellationToken.None);
            Assert.True(citations.IsValid, citations.ToString());
            Assert.Equal(2, citations.Cited.Count);

            // Run 3: everything is finished; nothing is spent.
            using var third = StartHost(root, web.BaseUri);
            var (exit3, output3) = await WaitAsync(third);
            Assert.Equal(0, exit3);
            Assert.Contains("RESULT builder=AlreadyComplete/0 writer=AlreadyComplete/0 citations=True", output3);
            Assert.Contains($" search={spend.GetUnits("search")} browse={spend.GetUnits("browse")} input={spend.InputTokens}", output3);
            Assert.Equal(spend, ReadSpend(root) with { Elapsed = spend.Elapsed });
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task RunKilledInTheMiddleOfAWriterRoundResumesTheReport()
    {
        await using var web = await LocalWeb.StartAsync();
        var root = Path.Combine(Path.GetTempPath(), "agents-deepresearch-kill", Guid.NewGuid().ToString("N"));
        try
        {
            // Run 1 blocks in writer round 3 (second section) after its file writes, before the round ends.
            using var child = StartHost(root, web.BaseUri, hangInWriterRound: 3);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string? line;
            do
            {
                line = await child.StandardOutput.ReadLineAsync(timeout.Token);
            }
            while (line is not null && line != "HANG");

            Assert.Equal("HANG", line);
            child.Kill();
            await child.WaitForExitAsync(timeout.Token);
            Assert.Equal(137, child.ExitCode);
            var outline = File.ReadAllText(Path.Combine(root, DeepResearchFiles.ReportOutline));
            Assert.Equal("- [COMPLETE] Solar\n- [COMPLETE] Storage\n- [TODO] Wind\n", outline);
            Assert.False(StageLog.HasMarker(File.ReadAllText(Path.Combine(root, DeepResearchFiles.ReportLog))));

            // Run 2 resumes the writer at round 4 and finishes the report.
            using var rerun = StartHost(root, web.BaseUri);
            var (exit, output) = await WaitAsync(rerun);

            Assert.True(exit == 0, output);
            Assert.Contains("RESULT builder=AlreadyComplete/0 writer=Completed/1 citations=True", output);
            var report = File.ReadAllText(Path.Combine(root, DeepResearchFiles.Report));
            Assert.Equal(1, Regex.Count(report, "^## Solar$", RegexOptions.Multiline));
            Assert.Equal(1, Regex.Count(report, "^## Storage$", RegexOptions.Multiline));
            Assert.Equal(1, Regex.Count(report, "^## Wind$", RegexOptions.Multiline));
            Assert.Equal(["# Round 1", "# Round 2", "# Round 3", "# Round 4"], Rounds(File.ReadAllText(Path.Combine(root, DeepResearchFiles.ReportLog))));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static BudgetSpend ReadSpend(string root) =>
        JsonSerializer.Deserialize<BudgetSpend>(File.ReadAllText(Path.Combine(root, DeepResearchFiles.BudgetState)))!;

    private static string[] Rounds(string log) =>
        [.. Regex.Matches(log, "^# Round \\d+$", RegexOptions.Multiline).Select(m => m.Value)];

    private static Process StartHost(string root, Uri web, int hangInWriterRound = 0)
    {
        var hostDll = typeof(ResearchScript).Assembly.Location;
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(hostDll);
        info.ArgumentList.Add(root);
        info.ArgumentList.Add(web.ToString());
        info.ArgumentList.Add("3");
        info.ArgumentList.Add(hangInWriterRound.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the test host.");
    }

    private static async Task<(int ExitCode, string Output)> WaitAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
