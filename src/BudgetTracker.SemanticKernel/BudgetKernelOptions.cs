namespace Agents.Budget;

/// <summary>How the Semantic Kernel filters of a <see cref="BudgetTracker"/> behave (see <see cref="BudgetKernelExtensions"/>).</summary>
public sealed class BudgetKernelOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the filter counts the usage (<c>Metadata["Usage"]</c>) of each assistant
    /// message that requests tools. Default <see langword="true"/>. Set it to <see langword="false"/> when a
    /// <see cref="BudgetChatClient"/> layer in the chat pipeline counts every model call already (the same name as
    /// <see cref="BudgetChatClientOptions.CountUsage"/> on that side).
    /// </summary>
    public bool CountUsage { get; set; } = true;
}
