namespace Agents.Samples.Tests.Eval;

public sealed class EvalDatasetReaderTests() : TempFolderTests("evalds-")
{
    [Fact]
    public async Task Reads_items_and_reports_each_bad_line_with_its_number()
    {
        string path = Path.Combine(Dir, "d.jsonl");
        await File.WriteAllLinesAsync(path,
        [
            """{"id":"a","question":"Q1?","answer":"A1"}""",
            "{\"id\":\"b\",\"question\":\"Q2?\",\"answer\":\"A2",
            "",
            """{"id":3,"question":"Q3?","answer":1964}""",
            """{"id":"d","question":"Q4?"}""",
            """{"id":"a","question":"again","answer":"x"}""",
            """{"id":"e","question":"Q5?","answer":["Velora River","Velora"]}""",
            "42",
        ]);

        var ds = await EvalDatasetReader.ReadAsync(path);

        Assert.Equal(["a", "3", "e"], ds.Items.Select(i => i.Id));
        Assert.Equal("1964", ds.Items[1].Answer);
        Assert.Equal("Velora River|Velora", ds.Items[2].Answer);
        Assert.Equal([2, 5, 6, 8], ds.Problems.Select(p => p.Line));
        Assert.Contains("invalid JSON", ds.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("answer", ds.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("duplicate id 'a'", ds.Problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("expected a JSON object", ds.Problems[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_names_the_path()
    {
        string path = Path.Combine(Dir, "missing.jsonl");
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => EvalDatasetReader.ReadAsync(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
