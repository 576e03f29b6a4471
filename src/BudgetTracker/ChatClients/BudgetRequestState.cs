namespace Agents.Budget;

/// <summary>What one request through <see cref="BudgetChatClient"/> learned from its tool calls.</summary>
internal sealed class BudgetRequestState
{
    private int _hardLimitReached;

    public bool HardLimitReached
    {
        get => Volatile.Read(ref _hardLimitReached) != 0;
        set => Volatile.Write(ref _hardLimitReached, value ? 1 : 0);
    }
}
