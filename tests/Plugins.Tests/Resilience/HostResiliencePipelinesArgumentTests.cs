using Agents.Plugins.Resilience;
using Microsoft.Extensions.Options;

namespace Agents.Plugins.Tests.Resilience;

/// <summary>The public <see cref="HostResiliencePipelines"/> refuses bad arguments with clear exceptions.</summary>
public sealed class HostResiliencePipelinesArgumentTests
{
    [Fact]
    public void Constructor_refuses_null_options()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new HostResiliencePipelines(null!, "browse"));
        Assert.Equal("options", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Constructor_refuses_an_empty_name(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new HostResiliencePipelines(new HttpResilienceOptions(), name));
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void Constructor_validates_the_options()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new HostResiliencePipelines(new HttpResilienceOptions { MaxRetryAttempts = -1 }, "browse"));
        Assert.Contains(ex.Failures, f => f.Contains("MaxRetryAttempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_refuses_a_relative_url()
    {
        var pipelines = new HostResiliencePipelines(new HttpResilienceOptions(), "browse");

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => pipelines.ExecuteAsync(new Uri("/page", UriKind.Relative), static (_, _) => ValueTask.FromResult(new HttpResponseMessage()), 0, default).AsTask());
        Assert.Equal("url", ex.ParamName);
    }

    [Fact]
    public async Task ExecuteAsync_refuses_a_null_sender()
    {
        var pipelines = new HostResiliencePipelines(new HttpResilienceOptions(), "browse");

        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => pipelines.ExecuteAsync<int>(new Uri("http://example.org/"), null!, 0, default).AsTask());
        Assert.Equal("send", ex.ParamName);
    }
}
