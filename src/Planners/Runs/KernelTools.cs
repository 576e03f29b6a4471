using Microsoft.SemanticKernel;

namespace Agents.Planners.Runs;

/// <summary>Turns a kernel's plugins into M.E.AI tools (names become <c>plugin_function</c>).</summary>
internal static class KernelTools
{
    public static IEnumerable<AITool> From(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return kernel.Plugins.SelectMany(plugin => plugin.AsAIFunctions(kernel));
    }
}
