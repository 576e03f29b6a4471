using Agents.Planners.Runs;

namespace Agents.Hosting;

/// <summary>Makes the ids that tie a generic error shown to a client to the detailed entry in the server log.</summary>
public static class ErrorIds
{
    /// <summary>Returns a new id such as <c>err_3f2a9c0d1b7e</c>.</summary>
    public static string New() => "err_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The text a client sees instead of an internal error.</summary>
    /// <param name="what">What failed, for example "The model".</param>
    /// <param name="errorId">The id logged with the details.</param>
    public static string ClientMessage(string what, string errorId) =>
        $"{what} failed (error id {errorId}). The details are in the server log under that id.";

    /// <summary>
    /// Returns a run's status reason fit to show a client: the planners put an exception's message into the reason
    /// of a run that failed (and log it under the run id); that message is replaced by the run id.
    /// </summary>
    /// <param name="result">The run's result.</param>
    public static string SafeStatusReason(AgentRunResult result)
    {
        var reason = result.StatusReason;
        return result.Status == AgentRunStatus.GaveUp
            && reason.StartsWith("The run failed:", StringComparison.Ordinal)
            && !reason.Contains(nameof(UpstreamModelException), StringComparison.Ordinal)
            ? ClientMessage("The run", result.RunId)
            : reason;
    }
}
