using Microsoft.Extensions.Logging;

namespace Agents.Budget;

/// <summary>Source-generated log messages of the tracker.</summary>
internal static partial class BudgetLog
{
    [LoggerMessage(1, LogLevel.Debug, "Charged {Units} {Category} unit(s) for {Function}; used {Used} of {Limit}.")]
    public static partial void Charged(ILogger logger, int units, string category, string? function, long used, string limit);

    [LoggerMessage(2, LogLevel.Information, "Refused {Function}: {Reason}")]
    public static partial void Denied(ILogger logger, string? function, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Budget exhausted: {Reason}")]
    public static partial void Exhausted(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Recorded usage of {Model}: {Input} input ({Cached} cached), {Output} output tokens; cost {Cost} USD.")]
    public static partial void Usage(ILogger logger, string? model, long input, long cached, long output, decimal cost);

    [LoggerMessage(5, LogLevel.Information, "Tool call {Function} not executed: {Reason}")]
    public static partial void BadArguments(ILogger logger, string function, string reason);

    [LoggerMessage(6, LogLevel.Debug, "Released {Units} {Category} unit(s): the call did not run.")]
    public static partial void Released(ILogger logger, int units, string category);

    [LoggerMessage(7, LogLevel.Information, "Restored earlier spend: {Input} input, {Output} output tokens; cost {Cost} USD.")]
    public static partial void Restored(ILogger logger, long input, long output, decimal cost);

    [LoggerMessage(8, LogLevel.Warning, "The restored spend is beyond the budget: {Overruns}")]
    public static partial void RestoredOverLimit(ILogger logger, string overruns);

    [LoggerMessage(9, LogLevel.Information, "Extended the {Category} budget by {Units} unit(s) to {Limit}.")]
    public static partial void Extended(ILogger logger, string category, long units, long limit);

    [LoggerMessage(10, LogLevel.Warning, "The shared {Category} budget could not be reached; the call is refused (or its lease ends by itself).")]
    public static partial void SharedLedgerFailed(ILogger logger, string category, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "The {Category} budget is spent ({Used} of {Limit} units); asking for {Offered} more before running {Function}.")]
    public static partial void ExtensionAsked(ILogger logger, string category, string function, long used, long limit, int offered);

    [LoggerMessage(12, LogLevel.Information, "Extension granted: {Granted} more {Category} unit(s) for {Function}; the limit is now {Limit}.")]
    public static partial void ExtensionGranted(ILogger logger, int granted, string category, string function, long limit);

    [LoggerMessage(13, LogLevel.Information, "Extension declined: no more {Category} units for {Function}; the call is refused.")]
    public static partial void ExtensionDeclined(ILogger logger, string category, string function);

    [LoggerMessage(14, LogLevel.Warning, "The extension approver failed for {Category} ({Function}); taken as a decline, the call is refused.")]
    public static partial void ExtensionFailed(ILogger logger, string category, string function, Exception exception);

    [LoggerMessage(30, LogLevel.Warning, "{Units} {Category} of a model call's usage beyond its reservation were not counted in the shared ledger: {Reason}")]
    public static partial void SharedUsageNotCounted(ILogger logger, long units, string category, string reason);

    [LoggerMessage(31, LogLevel.Information, "The shared ledger does not implement partial commits: the whole {Category} reservation was committed.")]
    public static partial void SharedPartialCommitUnsupported(ILogger logger, string category);
}
