using System.Text.Json;

namespace Agents.Samples.Eval.Grid;

/// <summary>
/// The results JSONL of one evaluation run, opened for resuming: rows already on disk are loaded (a torn last line
/// from a killed process is reported and skipped), and each new row is appended and flushed as soon as it is finished,
/// so stopping the process at any point loses at most the runs still in flight.
/// </summary>
public sealed class ResultsJournal : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly FileStream _stream;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<EvalResult> _results;
    private readonly HashSet<(string Strategy, int Budget, string Id)> _done;

    private ResultsJournal(string path, FileStream stream, List<EvalResult> results, IReadOnlyList<JsonlProblem> problems)
    {
        Path = path;
        _stream = stream;
        _results = results;
        Problems = problems;
        _done = results.Select(Key).ToHashSet();
    }

    /// <summary>The results file.</summary>
    public string Path { get; }

    /// <summary>Lines of the existing file that could not be read (they are left in place and ignored).</summary>
    public IReadOnlyList<JsonlProblem> Problems { get; }

    /// <summary>A snapshot of all rows: those loaded at open plus those appended since.</summary>
    public IReadOnlyList<EvalResult> Results
    {
        get
        {
            _gate.Wait();
            try
            {
                return [.. _results];
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>Opens (or creates) the results file at <paramref name="path"/> and loads its rows.</summary>
    /// <exception cref="IOException">The file is in use by another run.</exception>
    public static async Task<ResultsJournal> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var results = new List<EvalResult>();
        var problems = new List<JsonlProblem>();
        if (File.Exists(full))
        {
            await foreach (var line in JsonlReader.ReadAsync(full, cancellationToken).ConfigureAwait(false))
            {
                var row = line.Value is { } obj ? TryParse(obj) : null;
                if (row is null)
                {
                    problems.Add(new(full, line.Line, line.Error ?? "not a result row (needs strategy, budget, id, reference, correct, status, cost_usd, tool_units)"));
                }
                else
                {
                    results.Add(row);
                }
            }
        }

        var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.Asynchronous);
        try
        {
            // A process killed mid-write can leave a line without its newline: start the next row on a fresh line.
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                int last = stream.ReadByte();
                stream.Seek(0, SeekOrigin.End);
                if (last != '\n')
                {
                    await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new ResultsJournal(full, stream, results, problems);
    }

    /// <summary>Whether a row for this (strategy, budget, id) is already recorded.</summary>
    public bool Contains(string strategy, int budget, string id)
    {
        _gate.Wait();
        try
        {
            return _done.Contains((strategy, budget, id));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Appends a finished row and flushes it to the file. Deliberately takes no cancellation token: a finished run
    /// is always written, also while the harness is being cancelled.
    /// </summary>
    public async Task AppendAsync(EvalResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        byte[] bytes = Encoding.UTF8.GetBytes(Serialize(result) + "\n");
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes).ConfigureAwait(false);
            await _stream.FlushAsync().ConfigureAwait(false);
            _results.Add(result);
            _done.Add(Key(result));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>One row as the journal writes it (one JSON object, no newline): also what cluster workers exchange.</summary>
    internal static string Serialize(EvalResult result) => JsonSerializer.Serialize(result, JsonOptions);

    /// <summary>Reads a row written by <see cref="Serialize"/>; <see langword="null"/> when it is not one.</summary>
    internal static EvalResult? TryDeserialize(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? TryParse(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string, int, string) Key(EvalResult r) => (r.Strategy, r.Budget, r.Id);

    private static EvalResult? TryParse(JsonElement obj)
    {
        try
        {
            var row = obj.Deserialize<EvalResult>(JsonOptions);
            return row is { Strategy: { Length: > 0 }, Id: { Length: > 0 }, Reference: not null, Status: not null } ? row : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
