using Microsoft.SemanticKernel;

namespace Agents.Plugins.Tests.Memory;

public sealed class FileSystemMemoryPluginKernelTests : IDisposable
{
    private readonly TempWorkspace _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ImportsIntoAKernelAndRunsAsAIFunction()
    {
        var plugin = KernelPluginFactory.CreateFromObject(new FileSystemMemoryPlugin(_temp.Workspace), "files");

        Assert.Equal(
            ["append_file", "check_citations", "create_file", "delete_lines", "grep", "insert_lines", "list_files", "read_file", "replace_lines", "search_notes"],
            plugin.Select(f => f.Name).Order());

        AIFunction create = plugin["create_file"];
        var result = await create.InvokeAsync(new AIFunctionArguments { ["path"] = "a.md", ["content"] = "hello" });
        Assert.Equal("OK: a.md now has 1 lines.", result?.ToString());
        var escape = await plugin["read_file"].InvokeAsync(new Kernel(), new KernelArguments { ["path"] = "../x" });
        Assert.StartsWith("Error: '../x' uses '..'", escape.GetValue<string>());
        Assert.Equal("files_create_file", create.Name);
    }
}
