using Agents.LocalEngine.Loading;

namespace Agents.LocalEngine.Tests.Runtime;

/// <summary>Intra-op threads and spinning for a shared CPU (issue 13 item 6).</summary>
[Collection(ModelCollection.Name)]
public sealed class SessionThreadingTests(ModelFixture models)
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(8, 4)]
    [InlineData(64, 16)]
    public void Default_intra_op_threads_are_half_the_cores_between_1_and_16(int processors, int expected)
    {
        Assert.Equal(expected, LocalOnnxEngineOptions.DefaultIntraOpNumThreads(processors));
    }

    [Fact]
    public void The_session_gets_the_default_thread_count_unless_one_is_set()
    {
        var model = ModelFolderReader.Read(models.Qwen.Directory, ModelVariant.Default);
        using (var automatic = DecoderSession.CreateSessionOptions(new LocalOnnxEngineOptions(), model))
        {
            Assert.Equal(LocalOnnxEngineOptions.DefaultIntraOpNumThreads(Environment.ProcessorCount), automatic.IntraOpNumThreads);
        }

        using var three = DecoderSession.CreateSessionOptions(new LocalOnnxEngineOptions { IntraOpNumThreads = 3 }, model);
        Assert.Equal(3, three.IntraOpNumThreads);
    }

    [Fact]
    public async Task Spinning_is_off_by_default_and_either_setting_still_decodes_the_same_tokens()
    {
        Assert.False(new LocalOnnxEngineOptions().IntraOpSpinning);
        int[] prompt = [5, 77, 300, 12];
        var greedy = new LocalGenerationSettings { MaxTokens = 8, MinTokens = 8, DoSample = false };
        using var quiet = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { IntraOpNumThreads = 2, IntraOpSpinning = false });
        using var spinning = new LocalOnnxEngine(models.Qwen.Directory, new LocalOnnxEngineOptions { IntraOpNumThreads = 2, IntraOpSpinning = true });
        var a = await quiet.GenerateAsync(prompt, greedy);
        var b = await spinning.GenerateAsync(prompt, greedy);
        Assert.Equal(a.TokenIds, b.TokenIds);
        Assert.Equal(8, a.TokenIds.Count);
    }
}
