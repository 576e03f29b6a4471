using System.Text.Json.Nodes;

namespace Agents.Samples.ResearchAgent.Framework;

/// <summary>
/// The <c>--session</c> file: the serialized <c>AgentSession</c> (from <c>AIAgent.SerializeSessionAsync</c>) with the
/// strategy that wrote it, since a session resumes only in the same kind of agent.
/// </summary>
internal static class SessionFile
{
    /// <summary>The value of the file's <c>format</c> property.</summary>
    public const string Format = "agents.research-agent.session/1";

    /// <summary>Reads the saved session; null when the file does not exist (a new session).</summary>
    /// <exception cref="CommandLineException">The file cannot be read, is not a session file, or was saved by another strategy.</exception>
    public static JsonElement? Load(string path, string strategy)
    {
        if (Directory.Exists(path))
        {
            throw new CommandLineException($"--session: '{path}' is a folder; give a file (it is created after the run).");
        }

        if (!File.Exists(path))
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException($"--session: cannot read '{path}': {ex.Message}");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CommandLineException($"--session: '{path}' is not a saved session (not JSON: {ex.Message}). Delete it or give another file.");
        }

        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format
            || !root.TryGetProperty("session", out JsonElement session) || session.ValueKind != JsonValueKind.Object)
        {
            throw new CommandLineException($"--session: '{path}' is not a saved session of the research agent (it needs \"format\": \"{Format}\" and a \"session\" object). Delete it or give another file.");
        }

        string? saved = root.TryGetProperty("strategy", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        if (!string.Equals(saved, strategy, StringComparison.Ordinal))
        {
            throw new CommandLineException($"--session: '{path}' holds a session of --strategy {saved ?? "(none)"}; a session resumes only in the same agent. Run with --strategy {saved ?? "the same strategy"} or give another file.");
        }

        return session;
    }

    /// <summary>Writes the session (atomically: a temporary file, then a move).</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public static async Task SaveAsync(string path, string strategy, JsonElement session, CancellationToken cancellationToken)
    {
        var envelope = new JsonObject
        {
            ["format"] = Format,
            ["strategy"] = strategy,
            ["session"] = JsonNode.Parse(session.GetRawText()),
        };
        if (Path.GetDirectoryName(path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        string temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, envelope.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}
