namespace Agents.Budget;

/// <summary>Sets an async-local value until disposed, then restores the one before it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
internal readonly struct AmbientScope<T> : IDisposable
    where T : class
{
    private readonly AsyncLocal<T?> _slot;
    private readonly T? _previous;

    internal AmbientScope(AsyncLocal<T?> slot, T value)
    {
        _slot = slot;
        _previous = slot.Value;
        slot.Value = value;
    }

    public void Dispose() => _slot.Value = _previous;
}
