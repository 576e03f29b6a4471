using System.Text.Json;
using Agents.Budget;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Tools;

/// <summary>
/// An MCP tool over an <see cref="AIFunction"/> whose every call is charged to the server's
/// <see cref="BudgetTracker"/>: the call runs only when its units fit, and every result (also a refusal)
/// carries the budget status, as the <c>&lt;budget&gt;</c> block in the text and as structured content.
/// </summary>
internal sealed class BudgetedMcpTool : McpServerTool
{
    private readonly AIFunction _function;
    private readonly BudgetTracker _tracker;

    /// <param name="name">The tool name clients see.</param>
    /// <param name="function">The function (a Semantic Kernel function or an <see cref="AIFunctionFactory"/> one).</param>
    /// <param name="tracker">The server's budget.</param>
    /// <param name="readOnly">Whether the tool changes nothing.</param>
    /// <param name="openWorld">Whether the tool reaches outside the server (web).</param>
    public BudgetedMcpTool(string name, AIFunction function, BudgetTracker tracker, bool readOnly, bool openWorld)
    {
        _function = function;
        _tracker = tracker;
        ProtocolTool = new Tool
        {
            Name = name,
            Description = function.Description + " Every call is charged to the server's budget; each result ends with the budget status.",
            InputSchema = function.JsonSchema,
            Annotations = new ToolAnnotations { ReadOnlyHint = readOnly, OpenWorldHint = openWorld, DestructiveHint = !readOnly && !openWorld ? true : null },
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var arguments = new AIFunctionArguments();
        foreach (var (key, value) in request.Params?.Arguments ?? new Dictionary<string, JsonElement>())
        {
            arguments[key] = value;
        }

        string text;
        bool isError;
        try
        {
            var outcome = await _tracker.InvokeToolAsync(_function, arguments, cancellationToken).ConfigureAwait(false);
            text = outcome.Executed ? outcome.Result : "Refused: " + outcome.Result;
            isError = !outcome.Executed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The tracker released the units; the client learns why and what it may do.
            text = $"The tool '{ProtocolTool.Name}' failed: {ex.Message}\n{_tracker.FormatBudgetBlock()}";
            isError = true;
        }

        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text }],
            StructuredContent = BudgetStatus.ToJson(_tracker.GetSnapshot()),
            IsError = isError,
        };
    }
}
