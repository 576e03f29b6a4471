using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Agents.Samples.McpServer.Tools;

/// <summary>
/// An MCP tool over an <see cref="AIFunction"/> whose every call is charged to the server's
/// <see cref="BudgetTracker"/>: the call runs only when its units fit, and every result (also a refusal)
/// carries the budget status, as the <c>&lt;budget&gt;</c> block in the text and as structured content
/// (declared as the tool's <c>outputSchema</c>). A refusal, an argument error or a failure the tool reports
/// (its text starts with <c>Error</c> or with the tool's name and a colon) has <c>isError: true</c>.
/// </summary>
internal sealed partial class BudgetedMcpTool : McpServerTool
{
    private readonly AIFunction _function;
    private readonly BudgetTracker _tracker;
    private readonly ILogger _logger;
    private readonly string[] _internalNames;

    /// <param name="name">The tool name clients see.</param>
    /// <param name="function">The function (a Semantic Kernel function or an <see cref="AIFunctionFactory"/> one).</param>
    /// <param name="tracker">The server's budget.</param>
    /// <param name="charge">What one call is charged, as a sentence for the description.</param>
    /// <param name="readOnly">Whether the tool changes nothing.</param>
    /// <param name="openWorld">Whether the tool reaches outside the server (web).</param>
    /// <param name="logger">Logs tool failures with the error id the client sees.</param>
    public BudgetedMcpTool(string name, AIFunction function, BudgetTracker tracker, string charge, bool readOnly, bool openWorld, ILogger logger)
    {
        _function = function;
        _tracker = tracker;
        _logger = logger;
        _internalNames = function is KernelFunction { PluginName: { Length: > 0 } plugin } kernelFunction
            ? [$"{plugin}_{kernelFunction.Name}", kernelFunction.Name, function.Name]
            : [function.Name];
        ProtocolTool = new Tool
        {
            Name = name,
            Description = $"{function.Description} {charge} Each result ends with the server's budget status (also returned as structured content).",
            InputSchema = function.JsonSchema,
            OutputSchema = BudgetStatus.Schema,
            Annotations = new ToolAnnotations { ReadOnlyHint = readOnly, OpenWorldHint = openWorld, DestructiveHint = !readOnly && !openWorld ? true : null },
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var given = request.Params?.Arguments ?? new Dictionary<string, JsonElement>();
        if (ToolArguments.Check(ProtocolTool.Name, ProtocolTool.InputSchema, given.AsReadOnly()) is { } argumentError)
        {
            // Nothing ran and nothing was charged; the message names the parameter as the input schema does.
            return Result($"Error: {argumentError} Nothing was run or charged; check the arguments against the tool's input schema.\n{_tracker.FormatBudgetBlock()}", isError: true);
        }

        var arguments = new AIFunctionArguments();
        foreach (var (key, value) in given)
        {
            arguments[key] = value;
        }

        string text;
        bool isError;
        try
        {
            var outcome = await _tracker.InvokeToolAsync(_function, arguments, cancellationToken).ConfigureAwait(false);
            text = outcome.Executed ? outcome.Result : "Refused: " + outcome.Result;
            isError = !outcome.Executed || ReportsFailure(outcome.Text);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The tracker released the units. The raw error (paths, internal details) goes to the log only.
            var errorId = ErrorIds.New();
            LogToolFailed(_logger, ex, ProtocolTool.Name, errorId);
            text = $"Error: {ErrorIds.ClientMessage($"The tool '{ProtocolTool.Name}'", errorId)}\n{_tracker.FormatBudgetBlock()}";
            isError = true;
        }

        return Result(text, isError);
    }

    private CallToolResult Result(string text, bool isError) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = BudgetStatus.ToJson(_tracker.GetSnapshot()),
        IsError = isError,
    };

    /// <summary>The plugins report failures as text: <c>Error: ...</c>, <c>browse: ...</c>, or a browse whose every URL could not be read.</summary>
    private bool ReportsFailure(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return false;
        }

        var text = raw.TrimStart();
        if (text.StartsWith("Error", StringComparison.OrdinalIgnoreCase)
            || _internalNames.Append(ProtocolTool.Name).Any(n => text.StartsWith(n + ":", StringComparison.Ordinal)))
        {
            return true;
        }

        var sections = CountOf(text, "## URL ");
        return sections > 0 && CountOf(text, "\nCould not read this page: ") >= sections;
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The MCP tool {Tool} failed (error id {ErrorId})")]
    private static partial void LogToolFailed(ILogger logger, Exception exception, string tool, string errorId);
}
