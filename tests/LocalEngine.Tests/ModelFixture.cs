namespace Agents.LocalEngine.Tests;

/// <summary>Builds the test model folders once for the whole test run.</summary>
public sealed class ModelFixture : IDisposable
{
    public ModelFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "agents-localengine-tests", Guid.NewGuid().ToString("N"));
        Qwen = TestModelFactory.Create(Path.Combine(Root, "qwen-optimum"));
        External = TestModelFactory.Create(Path.Combine(Root, "qwen-external"), TestLayout.OptimumExternalData);
        GenAi = TestModelFactory.Create(Path.Combine(Root, "llama-genai"), TestLayout.GenAi, TestFamily.Llama3, positionIds: false);
        Shared = TestModelFactory.Create(Path.Combine(Root, "qwen-genai-gqa"), TestLayout.GenAiSharedBuffer);
        LongContext = TestModelFactory.Create(Path.Combine(Root, "qwen-long"), spec: new TinyLlamaSpec { MaxPositions = 1024 });
    }

    public string Root { get; }

    public TestModel Qwen { get; }

    public TestModel External { get; }

    public TestModel GenAi { get; }

    /// <summary>genai layout, GroupQueryAttention, past_present_share_buffer = true.</summary>
    public TestModel Shared { get; }

    /// <summary>Qwen format with a 1024-token context (room for tool definitions in the prompt).</summary>
    public TestModel LongContext { get; }

    /// <summary>A fresh folder under the fixture root.</summary>
    public string NewDirectory(string name)
    {
        var dir = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A copy of <paramref name="model"/>'s folder under a fresh folder (tests edit the copy).</summary>
    public string CopyOf(TestModel model, string name)
    {
        var target = NewDirectory(name);
        foreach (var file in Directory.GetFiles(model.Directory, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(model.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }

        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>
{
    public const string Name = "models";
}
