namespace Agents.Planners.Runs;

/// <summary>
/// Runs the tool calls a model asks for through the shared tracker's one charge path
/// (<see cref="BudgetTracker.InvokeToolAsync"/>: resolve category and units, reserve, run, commit; released when the
/// tool fails or is cancelled). Every problem the model caused (unknown tool,
/// unreadable arguments, refused by the budget, tool error) becomes a clear tool result, never an exception.
/// </summary>
internal sealed class ToolInvoker
{
    private readonly Dictionary<string, AIFunction> _functions;
    private readonly BudgetTracker _tracker;
    private readonly int _maxResultChars;

    public ToolInvoker(IEnumerable<AITool> tools, BudgetTracker tracker, int maxResultChars)
    {
        Tools = [.. tools];
        _functions = new Dictionary<string, AIFunction>(StringComparer.Ordinal);
        foreach (AIFunction function in Tools.OfType<AIFunction>())
        {
            _functions[function.Name] = function;
        }

        _tracker = tracker;
        _maxResultChars = maxResultChars;
    }

    public IReadOnlyList<AITool> Tools { get; }

    public static IReadOnlyList<AITool> Validate(IEnumerable<AITool>? tools, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(tools, parameterName);
        var list = new List<AITool>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (AITool? tool in tools)
        {
            if (tool is null)
            {
                throw new ArgumentException("The tool list contains a null entry.", parameterName);
            }

            if (!names.Add(tool.Name))
            {
                throw new ArgumentException($"Two tools are named '{tool.Name}'; tool names must be unique.", parameterName);
            }

            list.Add(tool);
        }

        return list;
    }

    public async Task<ToolOutcome> InvokeAsync(FunctionCallContent call, bool appendBudgetBlock, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, object?> arguments = call.Arguments is null
            ? new Dictionary<string, object?>()
            : new Dictionary<string, object?>(call.Arguments);
        string? category = null;
        int units = 0;
        bool executed = false;
        BudgetModelSpend? modelSpend = null;
        string text;

        if (call.Exception is not null)
        {
            text = $"Error: the arguments for tool '{call.Name}' could not be read ({call.Exception.Message}). Send the arguments as one JSON object.";
        }
        else if (!_functions.TryGetValue(call.Name, out AIFunction? function))
        {
            string available = _functions.Count == 0 ? "none" : string.Join(", ", _functions.Keys.Order(StringComparer.Ordinal));
            text = $"Error: there is no tool named '{call.Name}'. Available tools: {available}. Call one of them or give your final answer.";
        }
        else
        {
            (text, category, units, executed, modelSpend) = await RunAsync(function, call, cancellationToken).ConfigureAwait(false);
        }

        if (text.Length > _maxResultChars)
        {
            text = string.Concat(text.AsSpan(0, _maxResultChars), string.Create(CultureInfo.InvariantCulture, $"\n[truncated: {text.Length - _maxResultChars} more characters]"));
        }

        if (appendBudgetBlock)
        {
            text = text + "\n" + _tracker.FormatBudgetBlock();
        }

        var record = new ToolCallRecord(call.CallId, call.Name, arguments, text, executed, category, executed ? units : 0) { ModelSpend = modelSpend };
        return new ToolOutcome(new FunctionResultContent(call.CallId, text), record, _tracker.IsExhausted);
    }

    /// <summary>Runs one call through the tracker's charge path; a tool's own failure becomes a tool result.</summary>
    private async Task<(string Text, string? Category, int Units, bool Executed, BudgetModelSpend? ModelSpend)> RunAsync(
        AIFunction function,
        FunctionCallContent call,
        CancellationToken cancellationToken)
    {
        BudgetedToolResult result;
        try
        {
            result = await _tracker.InvokeToolAsync(function, new AIFunctionArguments(call.Arguments ?? new Dictionary<string, object?>()), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BudgetConfigurationException ex)
        {
            return ($"Error: tool '{call.Name}' was not run: {ex.Message}", null, 0, false, null);
        }
#pragma warning disable CA1031 // A failing tool becomes a tool result the model can act on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ($"Error: tool '{call.Name}' failed: {ex.Message}", _tracker.ResolveCategory(null, function.Name, function.UnderlyingMethod), 0, false, null);
        }

        return result.Outcome switch
        {
            BudgetedToolOutcome.InvalidArguments => ($"Error: tool '{call.Name}' was not run: {result.DeniedReason}", result.Category, 0, false, null),
            BudgetedToolOutcome.Refused => ($"Not executed: {result.DeniedReason}", result.Category, 0, false, null),
            _ => (result.RawResult is null ? "(the tool returned nothing)" : result.Text, result.Category, result.Units, true, result.ModelSpend.IsZero ? null : result.ModelSpend),
        };
    }
}
