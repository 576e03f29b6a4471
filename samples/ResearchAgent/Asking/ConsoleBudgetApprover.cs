namespace Agents.Samples.ResearchAgent.Asking;

/// <summary>
/// The console's answer to the budget's question (<see cref="IBudgetExtensionApprover"/>): when a tool call is refused
/// only because its category is spent, the run waits while the console asks "<see cref="BudgetExtensionRequest.Text"/>
/// [y/N]"; <c>y</c> or <c>yes</c> grants <see cref="BudgetExtensionRequest.OfferedUnits"/>, anything else (a blank line,
/// end of input) declines. One question at a time, whichever run or category asks. <see cref="ShowReceipts"/> prints a
/// <c>receipt:</c> line for every answer.
/// </summary>
internal sealed class ConsoleBudgetApprover : IBudgetExtensionApprover, IDisposable
{
    /// <summary>The reason of a receipt when the answer was no.</summary>
    public const string Declined = "The user said no at the console.";

    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly bool _echo;
    private readonly object _outputGate;
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Creates the approver.</summary>
    /// <param name="input">Where answers are read (stdin; a pipe works).</param>
    /// <param name="output">Where the questions and receipts go.</param>
    /// <param name="echo">Whether to write each answer after its question (when the input is not a terminal).</param>
    /// <param name="outputGate">The lock the progress lines are written under, so a receipt is never written inside one.</param>
    public ConsoleBudgetApprover(TextReader input, TextWriter output, bool echo, object outputGate)
    {
        _input = input;
        _output = output;
        _echo = echo;
        _outputGate = outputGate;
    }

    /// <inheritdoc />
    public async ValueTask<int> RequestMoreAsync(BudgetExtensionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool yes = await ConsoleQuestion.AskAsync(request.Text, _input, _output, _echo, cancellationToken).ConfigureAwait(false);
            return yes ? request.OfferedUnits : 0;
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Prints a <c>receipt:</c> line for every answer of <paramref name="tracker"/>'s questions.</summary>
    /// <param name="tracker">The tracker this approver answers for.</param>
    public void ShowReceipts(BudgetTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        tracker.ExtensionAnswered += (_, e) =>
        {
            lock (_outputGate)
            {
                _output.WriteLine(Receipt(e));
            }
        };
    }

    /// <summary>The receipt line of one answer, worded like the <c>--framework</c> ChatClientAgent's receipts.</summary>
    /// <param name="answer">The answer.</param>
    /// <returns>For example <c>receipt: extended browse 2 unit(s): The user granted 2 more unit(s); the limit is now 3.</c></returns>
    public static string Receipt(BudgetExtensionEventArgs answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        string category = answer.Request.Category;
        if (answer.Granted)
        {
            return string.Create(CultureInfo.InvariantCulture, $"receipt: extended {category} {answer.GrantedUnits} unit(s): The user granted {answer.GrantedUnits} more unit(s); the limit is now {answer.Limit}.");
        }

        string reason = answer.Error switch
        {
            null => Declined,
            OperationCanceledException => "Stopped by Ctrl+C before an answer.",
            Exception ex => "The question failed: " + ex.Message,
        };
        return string.Create(CultureInfo.InvariantCulture, $"receipt: declined {category} {answer.Request.OfferedUnits} unit(s): {reason}");
    }

    /// <inheritdoc />
    public void Dispose() => _turn.Dispose();
}
