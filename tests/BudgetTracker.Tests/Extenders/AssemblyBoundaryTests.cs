using System.Reflection;
using System.Runtime.CompilerServices;

namespace Agents.Budget.Tests.Extenders;

/// <summary>
/// Each package stands alone: the core and the Semantic Kernel adapter show their internals only to their tests and
/// benchmarks, so that a user who updates one package and not the other never meets a MissingMethodException.
/// </summary>
public sealed class AssemblyBoundaryTests
{
    [Theory]
    [InlineData(typeof(BudgetTracker))]
    [InlineData(typeof(BudgetKernelExtensions))]
    public void Library_ShowsItsInternals_OnlyToTestsAndBenchmarks(Type typeInLibrary)
    {
        string[] friends = [.. typeInLibrary.Assembly.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName)];

        Assert.NotEmpty(friends);
        Assert.All(friends, name => Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal) || name.EndsWith(".Benchmarks", StringComparison.Ordinal), $"{typeInLibrary.Assembly.GetName().Name} shows its internals to {name}."));
    }
}
