using Agents.Budget;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Tools;

/// <summary>A free tool that reports the server's budget without spending any.</summary>
internal sealed class BudgetStatusTool : McpServerTool
{
    private readonly BudgetTracker _tracker;

    public BudgetStatusTool(BudgetTracker tracker)
    {
        _tracker = tracker;
        ProtocolTool = new Tool
        {
            Name = "budget_status",
            Description = "Shows how much of the server's budget is used and what remains, per tool category, tokens and money. Free: it charges nothing. The status is also returned as structured content.",
            InputSchema = System.Text.Json.JsonDocument.Parse("{\"type\":\"object\",\"properties\":{}}").RootElement.Clone(),
            OutputSchema = BudgetStatus.Schema,
            Annotations = new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new CallToolResult
        {
            Content = [new TextContentBlock { Text = _tracker.FormatBudgetBlock() }],
            StructuredContent = BudgetStatus.ToJson(_tracker.GetSnapshot()),
            IsError = false,
        });
}
