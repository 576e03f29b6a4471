using System.Net;
using Agents.Plugins.Security;

namespace Agents.Plugins.Tests.Security;

/// <summary>The public <see cref="UrlGuard"/> and <see cref="UrlCheck"/> refuse bad arguments with clear exceptions.</summary>
public sealed class UrlGuardArgumentTests
{
    private static readonly UrlGuard Guard = new(new WebAccessOptions(), (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") }));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task ResolveAsync_refuses_an_empty_host(string host)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Guard.ResolveAsync(host, default));
        Assert.Equal("host", ex.ParamName);
    }

    [Fact]
    public async Task CheckHostAsync_refuses_an_empty_host()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Guard.CheckHostAsync(" ", "example.org", default));
        Assert.Equal("host", ex.ParamName);
    }

    [Fact]
    public async Task CheckHostAsync_refuses_an_empty_display_host()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Guard.CheckHostAsync("example.org", string.Empty, default));
        Assert.Equal("displayHost", ex.ParamName);
    }

    [Fact]
    public void IsHostAllowed_refuses_null()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => Guard.IsHostAllowed(null!));
        Assert.Equal("host", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void UrlCheck_Refused_needs_a_reason(string reason)
    {
        var ex = Assert.Throws<ArgumentException>(() => UrlCheck.Refused(reason));
        Assert.Equal("reason", ex.ParamName);
    }

    [Fact]
    public void UrlCheck_says_whether_the_url_is_allowed()
    {
        Assert.False(UrlCheck.Refused("no").IsAllowed);
        Assert.True(new UrlCheck(null, [IPAddress.Loopback]).IsAllowed);
    }
}
