namespace Agents.Planners.Tests.DeepResearch;

/// <summary>The workspaces of one test on one temporary folder: opened on the same root (one per run), disposed and deleted at the end.</summary>
internal sealed class TestWorkspaces(string name) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), name, Guid.NewGuid().ToString("N"));
    private readonly List<MemoryWorkspace> _workspaces = [];

    /// <summary>Gets the workspace root.</summary>
    public string Root => Path.Combine(_folder, "ws");

    /// <summary>Opens a workspace on <see cref="Root"/>, as a new process would.</summary>
    public MemoryWorkspace Open()
    {
        var workspace = new MemoryWorkspace(new MemoryWorkspaceOptions { RootPath = Root });
        _workspaces.Add(workspace);
        return workspace;
    }

    /// <summary>Reads a workspace file.</summary>
    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public void Dispose()
    {
        foreach (var workspace in _workspaces)
        {
            workspace.Dispose();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
