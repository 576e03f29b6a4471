namespace Agents.Planners.Runs;

/// <summary>Counts what one run spent, priced with the shared tracker's pricing. Thread-safe.</summary>
internal sealed class RunMeter
{
    private readonly Lock _gate = new();
    private readonly BudgetPricing _pricing;
    private readonly Dictionary<string, long> _units = new(StringComparer.OrdinalIgnoreCase);
    private long _input;
    private long _output;
    private long _cached;
    private int _calls;
    private decimal _cost;
    private AgentRunCost _children = AgentRunCost.Zero;

    public RunMeter(BudgetPricing pricing) => _pricing = pricing;

    public long OutputTokens
    {
        get
        {
            lock (_gate)
            {
                return _output + _children.OutputTokens;
            }
        }
    }

    public void AddUsage(UsageDetails? usage, string? modelId)
    {
        long input = usage?.InputTokenCount ?? 0;
        long output = usage?.OutputTokenCount ?? 0;
        long cached = usage?.CachedInputTokenCount ?? 0;
        decimal cost = _pricing.GetModelPrice(modelId).Cost(input, output, cached);
        lock (_gate)
        {
            _input += input;
            _output += output;
            _cached += cached;
            _calls++;
            _cost += cost;
        }
    }

    public void AddModelSpend(BudgetModelSpend spent)
    {
        lock (_gate)
        {
            _input += spent.InputTokens;
            _output += spent.OutputTokens;
            _cached += spent.CachedInputTokens;
            _calls += spent.ModelCalls;
            _cost += spent.CostUsd;
        }
    }

    public void AddUnits(string category, int units)
    {
        if (units <= 0)
        {
            return;
        }

        decimal cost = _pricing.GetUnitPrice(category) * units;
        lock (_gate)
        {
            _units[category] = _units.GetValueOrDefault(category) + units;
            _cost += cost;
        }
    }

    public void AddChild(AgentRunCost cost)
    {
        lock (_gate)
        {
            _children = _children.Add(cost);
        }
    }

    public AgentRunCost Snapshot()
    {
        lock (_gate)
        {
            var own = new AgentRunCost
            {
                InputTokens = _input,
                OutputTokens = _output,
                CachedInputTokens = _cached,
                ModelCalls = _calls,
                ToolUnits = new Dictionary<string, long>(_units, StringComparer.OrdinalIgnoreCase),
                CostUsd = _cost,
            };
            return own.Add(_children);
        }
    }
}
