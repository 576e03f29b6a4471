namespace Agents.Samples.ResearchAgent.Progress;

/// <summary>What the progress display shows; updated from agent events, budget events and log messages (any thread).</summary>
internal sealed class ProgressState
{
    private readonly Lock _gate = new();
    private readonly List<string> _tools = [];
    private string _step = "starting";
    private BudgetSnapshot? _budget;
    private int _toolCalls;

    public event EventHandler? Changed;

    public void SetStep(string step)
    {
        lock (_gate)
        {
            _step = step;
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    public void AddTool(string line)
    {
        lock (_gate)
        {
            _toolCalls++;
            _tools.Add(line);
            if (_tools.Count > 6)
            {
                _tools.RemoveAt(0);
            }
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    public void SetBudget(BudgetSnapshot snapshot)
    {
        lock (_gate)
        {
            _budget = snapshot;
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    public (string Step, IReadOnlyList<string> Tools, int ToolCalls, BudgetSnapshot? Budget) Read()
    {
        lock (_gate)
        {
            return (_step, [.. _tools], _toolCalls, _budget);
        }
    }
}
