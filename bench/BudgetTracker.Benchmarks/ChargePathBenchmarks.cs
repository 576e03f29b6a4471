using Agents.Budget;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agents.Budget.Benchmarks;

/// <summary>Per-call overhead of budget enforcement against the same call without it.</summary>
[MemoryDiagnoser]
public class ChargePathBenchmarks
{
    private const long Huge = long.MaxValue / 4;
    private BudgetTracker _tracker = null!;
    private CategoryState _search = null!;
    private AIFunction _function = null!;
    private AIFunctionArguments _arguments = null!;
    private Kernel _plainKernel = null!;
    private Kernel _budgetKernel = null!;
    private KernelArguments _kernelArguments = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tracker = new BudgetTracker(new BudgetOptions().SetToolLimit("search", Huge).SetToolLimit("browse", Huge));
        _search = _tracker.Resolve(null, "search", typeof(Tools).GetMethod(nameof(Tools.Search))).Category;
        _function = AIFunctionFactory.Create(typeof(Tools).GetMethod(nameof(Tools.Search))!, target: null, name: "search");
        _arguments = new AIFunctionArguments { ["queries"] = new[] { "a", "b", "c" } };
        _plainKernel = new Kernel();
        _plainKernel.Plugins.AddFromType<Tools>("web");
        _budgetKernel = new Kernel();
        _budgetKernel.Plugins.AddFromType<Tools>("web");
        _budgetKernel.UseBudgetTracker(_tracker);
        _kernelArguments = new KernelArguments { ["queries"] = new[] { "a", "b", "c" } };
    }

    /// <summary>The charge path alone: atomic reserve and commit of 3 units.</summary>
    [Benchmark]
    public bool ReserveCommit()
    {
        bool granted = _tracker.TryReserveCore(_search, 3, "search", out _);
        _tracker.CommitCore(_search, 3, "search");
        return granted;
    }

    /// <summary>The public reservation API (one small reservation object per call).</summary>
    [Benchmark]
    public bool TryReserve_Public()
    {
        BudgetReservation r = _tracker.TryReserve("search", 3);
        r.Commit();
        return r.Granted;
    }

    /// <summary>The budget block text shown after every tool result.</summary>
    [Benchmark]
    public string FormatBudgetBlock() => _tracker.FormatBudgetBlock();

    [Benchmark(Baseline = true)]
    public ValueTask<object?> AIFunction_Direct() => _function.InvokeAsync(_arguments);

    /// <summary>Resolve category, count units, reserve, run, commit, append the budget block.</summary>
    [Benchmark]
    public Task<BudgetedToolResult> AIFunction_InvokeToolAsync() => _tracker.InvokeToolAsync(_function, _arguments, CancellationToken.None);

    [Benchmark]
    public Task<FunctionResult> Kernel_Direct() => _plainKernel.InvokeAsync("web", "search", _kernelArguments);

    /// <summary>The same call through the budget function-invocation filter.</summary>
    [Benchmark]
    public Task<FunctionResult> Kernel_WithBudgetFilter() => _budgetKernel.InvokeAsync("web", "search", _kernelArguments);

    public sealed class Tools
    {
        [KernelFunction("search")]
        [BudgetCategory("search", UnitsArgument = "queries")]
        public static string Search(string[] queries) => queries[0];
    }
}
