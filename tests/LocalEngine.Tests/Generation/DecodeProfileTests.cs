namespace Agents.LocalEngine.Tests.Generation;

/// <summary>The decode thread's per-step profile the peer bench prints (issue 13 item 1: where the per-token cost goes).</summary>
[Collection(ModelCollection.Name)]
public sealed class DecodeProfileTests(ModelFixture models)
{
    [Fact]
    public async Task The_profile_counts_every_decode_step_and_its_parts_add_up_once_the_request_completes()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var before = engine.Profile;
        var result = await engine.GenerateAsync([5, 77, 300, 12], new LocalGenerationSettings { MaxTokens = 10, MinTokens = 10, DoSample = false });
        var profile = engine.Profile - before;

        Assert.Equal(result.DecodeSteps, profile.Steps);
        Assert.Equal(9, profile.Steps); // the first token comes from the prefill
        Assert.True(profile.Run > TimeSpan.Zero);
        Assert.True(profile.Scheduling >= TimeSpan.Zero, $"iteration {profile.Iteration} < run {profile.Run} + choose {profile.Choose}");
    }
}
