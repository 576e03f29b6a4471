using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Tools;

/// <summary>A tool that gives the functions it runs the call's progress channel (<see cref="ToolProgress"/>); otherwise the inner tool.</summary>
internal sealed class ProgressReportingTool : McpServerTool
{
    private readonly McpServerTool _inner;
    private readonly ToolProgress _progress;

    public ProgressReportingTool(McpServerTool inner, ToolProgress progress)
    {
        _inner = inner;
        _progress = progress;
    }

    public override Tool ProtocolTool => _inner.ProtocolTool;

    public override IReadOnlyList<object> Metadata => _inner.Metadata;

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
        _progress.RunAsync(request, () => _inner.InvokeAsync(request, cancellationToken));
}
