using Agents.Plugins.Memory;
using Microsoft.Extensions.Options;

namespace Agents.Planners.DeepResearch;

/// <summary>
/// One child budget of the workflow (a sub-researcher's topic, or the Report Writer) whose limits and spend are kept in a
/// file below <see cref="DeepResearchFiles.ChildBudgets"/>, written atomically after every checkpoint, so that a resumed
/// child continues where it stopped: a topic that had used 7 of its 10 search units resumes with 3 left.
/// </summary>
/// <remarks>
/// <para>Opening a child whose file says its run was open (cancelled or killed) gives it the stored limits and restores
/// its stored spend into it. Opening one whose run ended gives it a fresh share of what the parent has left on top of
/// what it spent (the limits are raised by its spend), so every run but a resumed one starts with a fresh share, as before.</para>
/// <para>Restoring a child never adds to the parent: the parent restores the whole spend from
/// <see cref="DeepResearchFiles.BudgetState"/>, of which every child's spend is a part.</para>
/// <para>A file that cannot be read or restored (corrupt, another owner's, invalid values) is logged as a warning and
/// treated as unknown: the child starts afresh with a share of what the parent has left, which already counts the lost spend.</para>
/// </remarks>
internal sealed class StoredChildBudget : IDisposable
{
    /// <summary>The owner name of the Report Writer's child budget.</summary>
    public const string WriterOwner = "Report Writer";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly MemoryWorkspace _workspace;
    private readonly string _owner;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _open = true;

    private StoredChildBudget(MemoryWorkspace workspace, string path, string owner, BudgetTracker tracker, ChildLimits limits)
    {
        _workspace = workspace;
        Path = path;
        _owner = owner;
        Tracker = tracker;
        Limits = limits;
    }

    /// <summary>Gets the path of the Report Writer's file, relative to the workspace root.</summary>
    public static string WriterPath => DeepResearchFiles.ChildBudgets + "/report_writer.json";

    /// <summary>Gets the child tracker.</summary>
    public BudgetTracker Tracker { get; }

    /// <summary>Gets the child's limits.</summary>
    public ChildLimits Limits { get; }

    /// <summary>Gets the file's path, relative to the workspace root.</summary>
    public string Path { get; }

    /// <summary>The path of a topic's file, relative to the workspace root: its folder's path below <see cref="DeepResearchFiles.ChildBudgets"/>.</summary>
    public static string TopicPath(ResearchTopic topic) => $"{DeepResearchFiles.ChildBudgets}/{topic.Folder}.json";

    /// <summary>
    /// Creates the child of <paramref name="parent"/> for <paramref name="owner"/>, restoring what its file holds (see the
    /// remarks of the class), and writes the file as open.
    /// </summary>
    /// <param name="workspace">The workspace.</param>
    /// <param name="parent">The run's tracker, already restored.</param>
    /// <param name="path">The child's file.</param>
    /// <param name="owner">The topic's title, or <see cref="WriterOwner"/>.</param>
    /// <param name="count">How many children share what the parent has left now.</param>
    /// <param name="logger">Where restores and unusable files are reported.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<StoredChildBudget> OpenAsync(
        MemoryWorkspace workspace, BudgetTracker parent, string path, string owner, int count, ILogger logger, CancellationToken cancellationToken)
    {
        var share = ChildBudgets.Share(parent, count);
        var state = await ReadAsync(workspace, path, owner, logger, cancellationToken).ConfigureAwait(false);
        StoredChildBudget? child = null;
        if (state is not null)
        {
            var limits = state.Open ? state.Limits : share.Plus(state.Spend);
            try
            {
                var tracker = parent.CreateChild(ChildBudgets.ToOptions(parent, limits, state.Spend.Units.Keys));
                var restored = tracker.RestoreSpend(state.Spend);
                logger.LogInformation(
                    "Resumed the child budget of {Owner} ({Run}): {Budget}; {Restore}.",
                    owner,
                    state.Open ? "its interrupted run, same limits" : "a fresh share on top of its spend",
                    tracker.GetSnapshot(),
                    restored);
                child = new StoredChildBudget(workspace, path, owner, tracker, limits);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OptionsValidationException)
            {
                logger.LogWarning(
                    "The child budget '{Path}' of {Owner} cannot be restored ({Problem}); it starts afresh with a share of what remains.",
                    path,
                    owner,
                    workspace.RedactPaths(ex.Message));
            }
        }

        child ??= new StoredChildBudget(workspace, path, owner, parent.CreateChild(ChildBudgets.ToOptions(parent, share, [])), share);
        await child.SaveAsync().ConfigureAwait(false);
        return child;
    }

    /// <summary>Writes the child's spend (its run still open); serialized so that the file always ends with the latest spend. Not cancellable.</summary>
    public Task SaveAsync() => WriteAsync(close: false);

    /// <summary>Writes the child's spend with its run ended: its next run gets a fresh share. Not cancellable.</summary>
    public Task CloseAsync() => WriteAsync(close: true);

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private static async Task<ChildBudgetState?> ReadAsync(MemoryWorkspace workspace, string path, string owner, ILogger logger, CancellationToken cancellationToken)
    {
        string? text;
        try
        {
            text = await workspace.TryReadTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or WorkspaceAccessException)
        {
            return Unusable(ex.Message);
        }

        if (text is null)
        {
            return null;
        }

        ChildBudgetState? state;
        try
        {
            state = JsonSerializer.Deserialize<ChildBudgetState>(text, JsonOptions);
        }
        catch (JsonException ex)
        {
            return Unusable(ex.Message);
        }

        if (state?.Limits is not { IsValid: true } || state.Spend?.Units is null)
        {
            return Unusable("it lacks valid limits or a spend");
        }

        if (!string.Equals(state.Owner, owner, StringComparison.Ordinal))
        {
            return Unusable($"it belongs to '{state.Owner}'");
        }

        return state;

        ChildBudgetState? Unusable(string problem)
        {
            logger.LogWarning(
                "The child budget '{Path}' of {Owner} cannot be read ({Problem}); it starts afresh with a share of what remains.",
                path,
                owner,
                workspace.RedactPaths(problem));
            return null;
        }
    }

    private async Task WriteAsync(bool close)
    {
        // Not cancellable: the spend of a call that completed must reach the disk even while the run is being cancelled.
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _open &= !close;
            var state = new ChildBudgetState(_owner, Limits, Tracker.GetSpend(), _open);
            await _workspace.WriteTextAsync(Path, JsonSerializer.Serialize(state, JsonOptions) + "\n", CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
