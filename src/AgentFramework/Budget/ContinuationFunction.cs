namespace Agents.AgentFramework;

/// <summary>
/// The tool of one function-middleware call, seen by <see cref="Agents.Budget.BudgetTracker.InvokeToolAsync"/>: its name,
/// schema and method are the tool's, and invoking it runs the rest of the middleware pipeline.
/// </summary>
internal sealed class ContinuationFunction : DelegatingAIFunction
{
    private readonly FunctionInvocationContext _context;
    private readonly Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> _next;

    public ContinuationFunction(FunctionInvocationContext context, Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> next)
        : base(context.Function)
    {
        _context = context;
        _next = next;
    }

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        _context.Arguments = arguments;
        return _next(_context, cancellationToken);
    }
}
