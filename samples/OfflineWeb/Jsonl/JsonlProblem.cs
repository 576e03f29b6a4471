namespace Agents.Samples.OfflineWeb.Jsonl;

/// <summary>A line of a JSONL file that could not be used.</summary>
/// <param name="File">The file path.</param>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Message">What is wrong with the line.</param>
public sealed record JsonlProblem(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Message}";
}
