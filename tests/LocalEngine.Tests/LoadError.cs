namespace Agents.LocalEngine.Tests;

/// <summary>Checks that opening a model folder fails with a <see cref="LocalModelLoadException"/> that names the file and the problem.</summary>
internal static class LoadError
{
    /// <summary>Opens <paramref name="dir"/>, expecting the failure to name <paramref name="path"/> and (where given) to contain <paramref name="message"/>.</summary>
    public static void Expect(string dir, string path, string? message = null)
    {
        var ex = Assert.Throws<LocalModelLoadException>(() => new LocalOnnxEngine(dir));
        Assert.Equal(path, ex.FilePath);
        if (message is not null)
        {
            Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        }
    }
}
