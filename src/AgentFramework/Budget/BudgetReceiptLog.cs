using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.AgentFramework;

/// <summary>
/// Records every budget decision of the agent middleware (grant, refusal, exhaustion, extension, declined extension)
/// three ways: the <see cref="Recorded"/> event, a log line, and an event plus the <c>agents.budget.decision</c> attribute
/// on the current <see cref="Activity"/> (span).
/// </summary>
/// <remarks>Thread-safe. Pass it with <see cref="BudgetAgentOptions.Receipts"/>.</remarks>
public sealed class BudgetReceiptLog
{
    /// <summary>The name of the span event added for each receipt.</summary>
    public const string ActivityEventName = "agents.budget.receipt";

    /// <summary>The span attribute holding the kind of the latest decision.</summary>
    public const string DecisionTag = "agents.budget.decision";

    private readonly Lock _gate = new();
    private readonly List<BudgetReceipt> _receipts = [];
    private readonly HashSet<BudgetTracker> _attached = [];
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the log.</summary>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock of the timestamps; <see cref="TimeProvider.System"/> when null.</param>
    public BudgetReceiptLog(ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _logger = (ILogger?)loggerFactory?.CreateLogger<BudgetReceiptLog>() ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Raised after a receipt was recorded, on the thread that decided.</summary>
    public event EventHandler<BudgetReceipt>? Recorded;

    /// <summary>Returns the receipts so far, in order.</summary>
    /// <returns>A copy of the receipts.</returns>
    public IReadOnlyList<BudgetReceipt> GetReceipts()
    {
        lock (_gate)
        {
            return [.. _receipts];
        }
    }

    /// <summary>Records the tracker's exhaustion events too; once per tracker.</summary>
    internal void Attach(BudgetTracker tracker)
    {
        lock (_gate)
        {
            if (!_attached.Add(tracker))
            {
                return;
            }
        }

        tracker.Exhausted += (_, e) => Record(BudgetReceiptKind.Exhausted, e.Budget, 0, e.Reason);
    }

    internal void Record(BudgetReceiptKind kind, string budget, long units, string? detail)
    {
        var receipt = new BudgetReceipt(kind, budget, units, detail ?? string.Empty, _timeProvider.GetUtcNow());
        lock (_gate)
        {
            _receipts.Add(receipt);
        }

        _logger.LogInformation("Budget receipt: {Kind} {Budget} {Units} unit(s). {Detail}", kind, budget, units, receipt.Detail);
        if (Activity.Current is { } activity)
        {
            string name = kind.ToString().ToLowerInvariant();
            activity.SetTag(DecisionTag, name);
            activity.AddEvent(new ActivityEvent(ActivityEventName, receipt.Timestamp, new ActivityTagsCollection
            {
                ["kind"] = name,
                ["budget"] = budget,
                ["units"] = units.ToString(CultureInfo.InvariantCulture),
                ["detail"] = receipt.Detail,
            }));
        }

        Recorded?.Invoke(this, receipt);
    }
}
