using Agents.Plugins.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Agents.Plugins.Tests.Resilience;

/// <summary>The public <see cref="HttpResilience"/> refuses bad arguments with clear exceptions.</summary>
public sealed class HttpResilienceArgumentTests
{
    [Theory]
    [InlineData("options")]
    [InlineData("timeProvider")]
    [InlineData("logger")]
    public void AddHttpResilience_refuses_null(string missing)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        HttpResilienceOptions? options = missing == "options" ? null : new HttpResilienceOptions();
        TimeProvider? clock = missing == "timeProvider" ? null : TimeProvider.System;
        ILogger? logger = missing == "logger" ? null : NullLogger.Instance;

        var ex = Assert.Throws<ArgumentNullException>(() => builder.AddHttpResilience(options!, clock!, logger!, "search"));
        Assert.Equal(missing, ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void AddHttpResilience_refuses_an_empty_name(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ResiliencePipelineBuilder<HttpResponseMessage>().AddHttpResilience(new HttpResilienceOptions(), TimeProvider.System, NullLogger.Instance, name));
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void RetryAfterText_refuses_null()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => HttpResilience.RetryAfterText(null!));
        Assert.Equal("response", ex.ParamName);
    }

    [Fact]
    public void ServerDelay_refuses_a_null_clock()
    {
        using var response = new HttpResponseMessage();

        var ex = Assert.Throws<ArgumentNullException>(() => HttpResilience.ServerDelay(response, null!));
        Assert.Equal("timeProvider", ex.ParamName);
    }

    [Fact]
    public void FirstHeaderNumber_refuses_a_null_response()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => HttpResilience.FirstHeaderNumber(null!, "X-RateLimit-Reset"));
        Assert.Equal("response", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void FirstHeaderNumber_refuses_an_empty_header_name(string header)
    {
        using var response = new HttpResponseMessage();

        var ex = Assert.Throws<ArgumentException>(() => HttpResilience.FirstHeaderNumber(response, header));
        Assert.Equal("header", ex.ParamName);
    }
}
