using System.Runtime.CompilerServices;

namespace Agents.Samples.OfflineWeb.Jsonl;

/// <summary>Reads JSONL files line by line; a malformed line is reported with its number and reading goes on.</summary>
public static class JsonlReader
{
    /// <summary>Reads every non-blank line of <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist (the message names it).</exception>
    public static async IAsyncEnumerable<JsonlLine> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The file '{path}' does not exist.", path);
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        int number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(number, line);
        }
    }

    /// <summary>
    /// Reads the JSON objects of <paramref name="path"/> with their line numbers: a line that is not one is added to
    /// <paramref name="problems"/> (with its number and why) and skipped.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist (the message names it).</exception>
    public static async IAsyncEnumerable<(int Line, JsonElement Value)> ReadObjectsAsync(string path, ICollection<JsonlProblem> problems, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        await foreach (var line in ReadAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (line.Value is { } value)
            {
                yield return (line.Line, value);
            }
            else
            {
                problems.Add(new(path, line.Line, line.Error!));
            }
        }
    }

    /// <summary>Reads a string property by the first of <paramref name="names"/> present; numbers are turned into text.</summary>
    public static string? GetString(JsonElement obj, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (obj.TryGetProperty(name, out var value))
            {
                return value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.Array when value.GetArrayLength() > 0 && value[0].ValueKind == JsonValueKind.String => value[0].GetString(),
                    _ => null,
                };
            }
        }

        return null;
    }

    private static JsonlLine Parse(int number, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? new JsonlLine(number, doc.RootElement.Clone(), null)
                : new JsonlLine(number, null, $"expected a JSON object, found {doc.RootElement.ValueKind}");
        }
        catch (JsonException ex)
        {
            return new JsonlLine(number, null, "invalid JSON: " + ex.Message);
        }
    }
}
