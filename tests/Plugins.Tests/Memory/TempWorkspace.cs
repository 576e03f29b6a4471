namespace Agents.Plugins.Tests.Memory;

/// <summary>A workspace in a fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempWorkspace : IDisposable
{
    public TempWorkspace(Action<MemoryWorkspaceOptions>? configure = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "agents-memory-tests", Guid.NewGuid().ToString("N"));
        var options = new MemoryWorkspaceOptions { RootPath = Root };
        configure?.Invoke(options);
        Workspace = new MemoryWorkspace(options);
    }

    public string Root { get; }

    public MemoryWorkspace Workspace { get; }

    public string Full(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string content)
    {
        var full = Full(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public void Dispose()
    {
        Workspace.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
