namespace Agents.LocalEngine.Generation;

/// <summary>A request waiting for, or taking part in, the engine's batched decoding; completed by the engine's decode loop.</summary>
internal sealed class GenerationRequest(IReadOnlyList<int> prompt, int count, LocalGenerationSettings settings, TokenSampler sampler,
    Action<int, int, string>? onToken, CancellationToken cancellationToken)
{
    public IReadOnlyList<int> Prompt { get; } = prompt;

    /// <summary>Gets the number of sequences (rows) asked for.</summary>
    public int Count { get; } = count;

    public LocalGenerationSettings Settings { get; } = settings;

    /// <summary>Gets the sampler shared by the request's rows (drawn from in row order, so a seed reproduces all rows).</summary>
    public TokenSampler Sampler { get; } = sampler;

    /// <summary>Gets the streaming callback (row, token, new text), or null.</summary>
    public Action<int, int, string>? OnToken { get; } = onToken;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TaskCompletionSource<IReadOnlyList<LocalGenerationResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GenerationRow[] Rows { get; set; } = [];

    public int CachedPromptTokens { get; set; }

    public long Started { get; set; }

    public TimeSpan PrefillTime { get; set; }

    public long DecodeStarted { get; set; }

    /// <summary>Gets or sets the number of decode steps that computed a row of this request.</summary>
    public int DecodeSteps { get; set; }

    /// <summary>Gets or sets the engine step that last counted in <see cref="DecodeSteps"/>.</summary>
    public long LastStep { get; set; } = -1;

    /// <summary>Gets or sets a value indicating whether the rows it holds in the batch are released (counted once).</summary>
    public bool Released { get; set; }

    /// <summary>Gets a value indicating whether the request has its outcome (result, error or cancellation).</summary>
    public bool IsDone => Completion.Task.IsCompleted;

    /// <summary>Gets a value indicating whether every row has finished.</summary>
    public bool AllRowsFinished => Rows.Length > 0 && Array.TrueForAll(Rows, r => r.Finish is not null);
}
