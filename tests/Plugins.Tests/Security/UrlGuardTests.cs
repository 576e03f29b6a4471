namespace Agents.Plugins.Tests.Security;

public sealed class UrlGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "Loopback")]
    [InlineData("127.9.9.9", "Loopback")]
    [InlineData("::1", "Loopback")]
    [InlineData("10.0.0.1", "NonPublic")]
    [InlineData("172.16.0.1", "NonPublic")]
    [InlineData("172.31.255.255", "NonPublic")]
    [InlineData("192.168.1.1", "NonPublic")]
    [InlineData("169.254.169.254", "NonPublic")]
    [InlineData("100.64.0.1", "NonPublic")]
    [InlineData("0.0.0.0", "NonPublic")]
    [InlineData("224.0.0.1", "NonPublic")]
    [InlineData("fe80::1", "NonPublic")]
    [InlineData("fd00::1", "NonPublic")]
    [InlineData("::ffff:10.0.0.1", "NonPublic")]
    [InlineData("::ffff:127.0.0.1", "Loopback")]
    [InlineData("64:ff9b::a00:1", "NonPublic")]
    [InlineData("8.8.8.8", "Public")]
    [InlineData("172.32.0.1", "Public")]
    [InlineData("100.128.0.1", "Public")]
    [InlineData("2606:4700::1111", "Public")]
    public void Classifies_addresses(string address, string expected)
        => Assert.Equal(expected, UrlGuard.Classify(IPAddress.Parse(address)).ToString());

    [Theory]
    [InlineData("file:///etc/passwd", "'file:' scheme")]
    [InlineData("data:text/html,hi", "'data:' scheme")]
    [InlineData("ftp://example.org/", "'ftp:' scheme")]
    [InlineData("http://user:pw@example.org/", "user names")]
    [InlineData("http://127.0.0.1/", "127.0.0.1")]
    [InlineData("http://[::1]/", "::1")]
    [InlineData("http://169.254.169.254/latest/meta-data", "169.254.169.254")]
    public async Task Refuses_by_default(string url, string reason)
    {
        var guard = new UrlGuard(new WebAccessOptions(), (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") }));
        Assert.Contains(reason, await guard.CheckAsync(new Uri(url), default));
    }

    [Fact]
    public async Task Refuses_names_that_resolve_to_private_addresses()
    {
        var guard = new UrlGuard(new WebAccessOptions(), (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.7") }));
        Assert.Contains("resolves to 10.0.0.7", await guard.CheckAsync(new Uri("http://rebind.example/"), default));
    }

    [Fact]
    public async Task Real_dns_localhost_is_refused_unless_loopback_is_allowed()
    {
        Assert.Contains("localhost", await new UrlGuard(new WebAccessOptions()).CheckAsync(new Uri("http://localhost/"), default));
        Assert.Null(await new UrlGuard(new WebAccessOptions { AllowLoopback = true }).CheckAsync(new Uri("http://localhost/"), default));
    }

    [Fact]
    public async Task Allows_public_names_and_allow_listed_hosts()
    {
        var guard = new UrlGuard(new WebAccessOptions { AllowedHosts = { "intranet.local" } }, (host, _) => Task.FromResult(new[] { IPAddress.Parse(host == "intranet.local" ? "10.0.0.1" : "93.184.216.34") }));
        Assert.Null(await guard.CheckAsync(new Uri("https://example.org/x"), default));
        Assert.Null(await guard.CheckAsync(new Uri("http://intranet.local/x"), default));
    }

    [Fact]
    public async Task Private_networks_option_allows_private_but_not_loopback()
    {
        var guard = new UrlGuard(new WebAccessOptions { AllowPrivateNetworks = true });
        Assert.Null(await guard.CheckAsync(new Uri("http://192.168.0.10/"), default));
        Assert.NotNull(await guard.CheckAsync(new Uri("http://127.0.0.1/"), default));
    }

    [Fact]
    public async Task Unresolvable_host_is_refused_clearly()
    {
        var guard = new UrlGuard(new WebAccessOptions(), (_, _) => Task.FromException<IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound)));
        Assert.Contains("could not be resolved", await guard.CheckAsync(new Uri("http://nowhere.invalid/"), default));
    }

    [Fact]
    public void Bad_max_redirects_names_the_option()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new UrlGuard(new WebAccessOptions { MaxRedirects = 50 }));
        Assert.Contains("WebAccessOptions.MaxRedirects", ex.Message);
    }
}
