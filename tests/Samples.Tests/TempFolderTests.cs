namespace Agents.Samples.Tests;

/// <summary>A test class whose every test gets a fresh temporary folder, deleted after it.</summary>
public abstract class TempFolderTests(string prefix) : IDisposable
{
    /// <summary>The test's folder.</summary>
    protected string Dir { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Directory.Delete(Dir, recursive: true);
        }
    }
}
