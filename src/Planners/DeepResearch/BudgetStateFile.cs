using Agents.Plugins.Memory;

namespace Agents.Planners.DeepResearch;

/// <summary>
/// Reads and atomically writes <see cref="DeepResearchFiles.BudgetState"/>: the <see cref="BudgetSpend"/> of all runs
/// on a workspace so far, so that a resumed run continues the same budget.
/// </summary>
internal static class BudgetStateFile
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Reads the stored spend; <see langword="null"/> when the workspace has none yet.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid budget state.</exception>
    public static async Task<BudgetSpend?> ReadAsync(MemoryWorkspace workspace, CancellationToken cancellationToken)
    {
        var text = await workspace.TryReadTextAsync(DeepResearchFiles.BudgetState, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<BudgetSpend>(text, JsonOptions) ?? throw new JsonException("The file holds null.");
        }
        catch (JsonException ex)
        {
            throw Invalid(workspace, ex.Message, ex);
        }
    }

    /// <summary>Replaces the stored spend atomically (temporary file + rename).</summary>
    public static Task WriteAsync(MemoryWorkspace workspace, BudgetSpend spend, CancellationToken cancellationToken) =>
        workspace.WriteTextAsync(DeepResearchFiles.BudgetState, JsonSerializer.Serialize(spend, JsonOptions) + "\n", cancellationToken);

    /// <summary>The error for a state file that cannot be read or restored, naming the file.</summary>
    public static InvalidDataException Invalid(MemoryWorkspace workspace, string problem, Exception inner) =>
        new($"The budget state '{DeepResearchFiles.BudgetState}' of the workspace cannot be restored: {workspace.RedactPaths(problem)} "
            + "Fix the file, or delete it to start the budget of this workspace afresh.", inner);
}
