namespace Agents.Samples.Eval.Dataset;

/// <summary>
/// Reads a dataset JSONL: one object per line with <c>id</c>, <c>question</c> and <c>answer</c> (string, number, or
/// an array of acceptable answers). A malformed line is reported with its line number and the others still load.
/// </summary>
public static class EvalDatasetReader
{
    /// <summary>Reads the dataset at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist (the message names it).</exception>
    public static async Task<EvalDataset> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var items = new List<EvalItem>();
        var problems = new List<JsonlProblem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var (number, obj) in JsonlReader.ReadObjectsAsync(path, problems, cancellationToken).ConfigureAwait(false))
        {
            string? id = JsonlReader.GetString(obj, "id");
            string? question = JsonlReader.GetString(obj, "question");
            string? answer = ReadAnswer(obj);
            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(id))
            {
                missing.Add("id");
            }

            if (string.IsNullOrWhiteSpace(question))
            {
                missing.Add("question");
            }

            if (string.IsNullOrWhiteSpace(answer))
            {
                missing.Add("answer");
            }

            if (missing.Count > 0)
            {
                problems.Add(new(path, number, $"missing or empty field(s): {string.Join(", ", missing)}"));
            }
            else if (!ids.Add(id!))
            {
                problems.Add(new(path, number, $"duplicate id '{id}'"));
            }
            else
            {
                items.Add(new EvalItem(id!, question!, answer!));
            }
        }

        return new EvalDataset(path, items, problems);
    }

    private static string? ReadAnswer(System.Text.Json.JsonElement obj)
    {
        if (obj.TryGetProperty("answer", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            var aliases = value.EnumerateArray()
                .Where(a => a.ValueKind is System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number)
                .Select(a => a.ValueKind == System.Text.Json.JsonValueKind.String ? a.GetString()! : a.GetRawText())
                .Where(a => !string.IsNullOrWhiteSpace(a))
                .ToList();
            return aliases.Count == 0 ? null : string.Join("|", aliases);
        }

        return JsonlReader.GetString(obj, "answer");
    }
}
