namespace Agents.Samples.OfflineWeb.Jsonl;

/// <summary>One non-blank line of a JSONL file: its parsed object, or why it could not be parsed.</summary>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Value">The parsed JSON object (a clone that outlives the reader), or null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the line is not a JSON object, or null.</param>
public sealed record JsonlLine(int Line, JsonElement? Value, string? Error);
