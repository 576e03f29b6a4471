namespace Agents.Budget;

/// <summary>
/// One top-level request through the <see cref="BudgetChatClient"/> layers that share a tracker. The outermost layer
/// opens it; a layer found inside it (for example a usage-only layer below function invocation) counts each model
/// call and sets <see cref="InnerCounted"/>, so that the outer layer does not count the aggregated usage again.
/// </summary>
internal sealed class UsageScope
{
    private int _innerCounted;

    /// <summary>Gets or sets a value indicating whether a layer inside the outermost one counted usage.</summary>
    public bool InnerCounted
    {
        get => Volatile.Read(ref _innerCounted) != 0;
        set => Volatile.Write(ref _innerCounted, value ? 1 : 0);
    }

    /// <summary>Gets or sets a value indicating whether the next model calls are the final answer (tools removed after a hard limit).</summary>
    public bool FinalAnswer { get; set; }

    /// <summary>Gets or sets a value indicating whether a layer holds a reservation for the model call in progress.</summary>
    public bool ModelCallHeld { get; set; }
}
