namespace Agents.Budget.Tests.Fakes;

/// <summary>An extension approver that answers through a callback and records every request.</summary>
internal sealed class CallbackApprover : IBudgetExtensionApprover
{
    private readonly Func<BudgetExtensionRequest, CancellationToken, ValueTask<int>> _answer;
    private int _inFlight;
    private int _maxInFlight;

    public CallbackApprover(Func<BudgetExtensionRequest, CancellationToken, ValueTask<int>> answer) => _answer = answer;

    public List<BudgetExtensionRequest> Requests { get; } = [];

    /// <summary>Gets the most questions that were open at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async ValueTask<int> RequestMoreAsync(BudgetExtensionRequest request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
            _maxInFlight = Math.Max(_maxInFlight, ++_inFlight);
        }

        try
        {
            return await _answer(request, cancellationToken);
        }
        finally
        {
            lock (Requests)
            {
                _inFlight--;
            }
        }
    }
}
