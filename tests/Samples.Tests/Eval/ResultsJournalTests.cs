namespace Agents.Samples.Tests.Eval;

public sealed class ResultsJournalTests() : TempFolderTests("journal-")
{
    internal static EvalResult Row(string strategy, int budget, string id, bool correct = true, decimal cost = 0.01m) => new()
    {
        Strategy = strategy, Budget = budget, Id = id, Reference = "ref", Answer = correct ? "ref" : "x", Correct = correct,
        Status = "answered", CostUsd = cost, ToolUnits = budget, InputTokens = 10, OutputTokens = 2, DurationMs = 5,
        FinishedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public async Task Appended_rows_survive_reopen_and_are_found()
    {
        string path = Path.Combine(Dir, "run", "results.jsonl");
        await using (var journal = await ResultsJournal.OpenAsync(path))
        {
            Assert.Empty(journal.Results);
            await journal.AppendAsync(Row("react", 5, "q1"));
            await journal.AppendAsync(Row("bats", 10, "q2", correct: false, cost: 0.123456m));
            Assert.True(journal.Contains("react", 5, "q1"));
            Assert.False(journal.Contains("react", 10, "q1"));
        }

        await using var reopened = await ResultsJournal.OpenAsync(path);
        Assert.Empty(reopened.Problems);
        Assert.Equal([Row("react", 5, "q1"), Row("bats", 10, "q2", correct: false, cost: 0.123456m)], reopened.Results);
        Assert.True(reopened.Contains("bats", 10, "q2"));
        Assert.Contains("\"cost_usd\":0.123456", (await File.ReadAllLinesAsync(path))[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_torn_last_line_is_reported_and_the_next_row_starts_on_a_new_line()
    {
        string path = Path.Combine(Dir, "results.jsonl");
        await using (var journal = await ResultsJournal.OpenAsync(path))
        {
            await journal.AppendAsync(Row("react", 5, "q1"));
        }

        await File.AppendAllTextAsync(path, "{\"strategy\":\"react\",\"budget\":5,\"id\":\"q2\",\"refer");
        await using (var journal = await ResultsJournal.OpenAsync(path))
        {
            Assert.Equal(2, Assert.Single(journal.Problems).Line);
            Assert.Single(journal.Results);
            await journal.AppendAsync(Row("react", 5, "q2"));
        }

        await using var again = await ResultsJournal.OpenAsync(path);
        Assert.Equal(["q1", "q2"], again.Results.Select(r => r.Id));
        Assert.Equal(2, Assert.Single(again.Problems).Line);
    }

    [Fact]
    public async Task Lines_that_are_not_result_rows_are_reported()
    {
        string path = Path.Combine(Dir, "results.jsonl");
        await File.WriteAllTextAsync(path, "{\"hello\":1}\n");
        await using var journal = await ResultsJournal.OpenAsync(path);
        Assert.Contains("not a result row", Assert.Single(journal.Problems).Message, StringComparison.Ordinal);
    }
}
