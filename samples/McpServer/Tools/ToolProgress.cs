using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Tools;

/// <summary>
/// The progress channel of the tool call in flight on this asynchronous flow: set by <see cref="ProgressReportingTool"/>
/// when the client asked for progress (a <c>progressToken</c>), read by the function that runs inside the call.
/// </summary>
internal sealed class ToolProgress
{
    private readonly AsyncLocal<Reporter?> _current = new();

    /// <summary>Wraps <paramref name="tool"/> so that the functions it runs can report progress to the caller.</summary>
    public McpServerTool Wrap(McpServerTool tool) => new ProgressReportingTool(tool, this);

    /// <summary>Sends a progress notification to the client of the call in flight; nothing when it asked for none.</summary>
    /// <param name="progress">Steps done so far (grows with every notification).</param>
    /// <param name="message">What is happening now.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public async ValueTask ReportAsync(float progress, string message, CancellationToken cancellationToken)
    {
        if (_current.Value is { } reporter)
        {
            await reporter.Server.NotifyProgressAsync(reporter.Token, new ProgressNotificationValue { Progress = progress, Message = message }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="call"/> with the request's progress channel, if it has one.</summary>
    internal async ValueTask<CallToolResult> RunAsync(RequestContext<CallToolRequestParams> request, Func<ValueTask<CallToolResult>> call)
    {
        var previous = _current.Value;
        _current.Value = request.Params?.ProgressToken is { } token ? new Reporter(request.Server, token) : null;
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            _current.Value = previous;
        }
    }

    private sealed record Reporter(ModelContextProtocol.Server.McpServer Server, ProgressToken Token);
}
