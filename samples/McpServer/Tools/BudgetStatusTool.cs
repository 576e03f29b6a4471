using System.Globalization;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Tools;

/// <summary>A free tool that reports the server's budget without spending any; in cluster mode also the budget all replicas share.</summary>
internal sealed class BudgetStatusTool : McpServerTool
{
    private readonly BudgetTracker _tracker;
    private readonly IBudgetLedger? _shared;

    public BudgetStatusTool(BudgetTracker tracker, IBudgetLedger? shared = null)
    {
        _tracker = tracker;
        _shared = shared;
        ProtocolTool = new Tool
        {
            Name = "budget_status",
            Description = "Shows how much of the server's budget is used and what remains, per tool category, tokens and money; in cluster mode also the budget every replica shares. Free: it charges nothing. The status is also returned as structured content.",
            InputSchema = JsonDocument.Parse("{\"type\":\"object\",\"properties\":{}}").RootElement.Clone(),
            OutputSchema = BudgetStatus.Schema,
            Annotations = new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        JsonObject status = BudgetStatus.ToNode(_tracker.GetSnapshot());
        var text = new StringBuilder(_tracker.FormatBudgetBlock());
        if (_shared is not null)
        {
            try
            {
                IReadOnlyList<BudgetCategorySnapshot> shared = await _shared.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
                status["shared"] = BudgetStatus.ToNode(shared);
                text.AppendLine().Append("Shared budget of the cluster:");
                foreach (var c in shared)
                {
                    text.AppendLine().Append(CultureInfo.InvariantCulture, $"{c.Name} used: {c.Used}, in flight: {c.InFlight}, limit: {(c.Limit is { } l ? l.ToString(CultureInfo.InvariantCulture) : "none")}");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                text.AppendLine().Append("The shared budget of the cluster could not be read (").Append(ex.GetType().Name).Append(").");
            }
        }

        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text.ToString() }],
            StructuredContent = JsonSerializer.SerializeToElement(status),
            IsError = false,
        };
    }
}
