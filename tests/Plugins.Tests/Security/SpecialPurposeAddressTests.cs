namespace Agents.Plugins.Tests.Security;

/// <summary>
/// Issue 12 item 3: the guard follows the IANA IPv4 and IPv6 special-purpose registries. Every range is tried
/// just inside (first and last address) and just outside, as an address literal and as a name resolving to it.
/// </summary>
public sealed class SpecialPurposeAddressTests
{
    /// <summary>Address, then the range the refusal must name; empty when the address is public.</summary>
    public static TheoryData<string, string> Addresses => new()
    {
        { "0.0.0.0", "0.0.0.0/8" }, { "0.255.255.255", "0.0.0.0/8" }, { "1.0.0.0", "" },
        { "9.255.255.255", "" }, { "10.0.0.0", "10.0.0.0/8" }, { "10.255.255.255", "10.0.0.0/8" }, { "11.0.0.0", "" },
        { "100.63.255.255", "" }, { "100.64.0.0", "100.64.0.0/10" }, { "100.127.255.255", "100.64.0.0/10" }, { "100.128.0.0", "" },
        { "126.255.255.255", "" }, { "127.0.0.0", "127.0.0.0/8" }, { "127.255.255.255", "127.0.0.0/8" }, { "128.0.0.0", "" },
        { "169.253.255.255", "" }, { "169.254.0.0", "169.254.0.0/16" }, { "169.254.255.255", "169.254.0.0/16" }, { "169.255.0.0", "" },
        { "172.15.255.255", "" }, { "172.16.0.0", "172.16.0.0/12" }, { "172.31.255.255", "172.16.0.0/12" }, { "172.32.0.0", "" },
        { "191.255.255.255", "" }, { "192.0.0.0", "192.0.0.0/24" }, { "192.0.0.255", "192.0.0.0/24" }, { "192.0.1.0", "" },
        { "192.0.1.255", "" }, { "192.0.2.0", "192.0.2.0/24" }, { "192.0.2.255", "192.0.2.0/24" }, { "192.0.3.0", "" },
        { "192.88.98.255", "" }, { "192.88.99.0", "192.88.99.0/24" }, { "192.88.99.255", "192.88.99.0/24" }, { "192.88.100.0", "" },
        { "192.167.255.255", "" }, { "192.168.0.0", "192.168.0.0/16" }, { "192.168.255.255", "192.168.0.0/16" }, { "192.169.0.0", "" },
        { "198.17.255.255", "" }, { "198.18.0.0", "198.18.0.0/15" }, { "198.19.255.255", "198.18.0.0/15" }, { "198.20.0.0", "" },
        { "198.51.99.255", "" }, { "198.51.100.0", "198.51.100.0/24" }, { "198.51.100.255", "198.51.100.0/24" }, { "198.51.101.0", "" },
        { "203.0.112.255", "" }, { "203.0.113.0", "203.0.113.0/24" }, { "203.0.113.255", "203.0.113.0/24" }, { "203.0.114.0", "" },
        { "223.255.255.255", "" }, { "224.0.0.0", "224.0.0.0/4" }, { "239.255.255.255", "224.0.0.0/4" },
        { "240.0.0.0", "240.0.0.0/4" }, { "255.255.255.254", "240.0.0.0/4" }, { "255.255.255.255", "255.255.255.255/32" },

        { "::", "::/128" }, { "::1", "::1/128" }, { "::2", "::/96 IPv4-compatible" },
        { "::8.8.8.8", "::/96 IPv4-compatible" }, { "::255.255.255.255", "::/96 IPv4-compatible" }, { "::1:0:0", "2000::/3" },
        { "::ffff:0.0.0.0", "::ffff:0:0/96" }, { "::ffff:8.8.8.8", "::ffff:0:0/96" }, { "::ffff:10.0.0.1", "10.0.0.0/8" },
        { "::ffff:192.0.2.1", "192.0.2.0/24" }, { "::ffff:255.255.255.255", "::ffff:0:0/96" }, { "::fffe:ffff:ffff", "2000::/3" },
        { "::ffff:0:8.8.8.8", "::ffff:0:0:0/96" }, { "::ffff:0:127.0.0.1", "127.0.0.0/8" }, { "::1:ffff:0:0:0", "2000::/3" },
        { "64:ff9b::8.8.8.8", "" }, { "64:ff9b::10.0.0.1", "10.0.0.0/8" }, { "64:ff9b::127.0.0.1", "127.0.0.0/8" },
        { "64:ff9b::192.0.2.1", "192.0.2.0/24" }, { "64:ff9b::100.64.0.1", "100.64.0.0/10" }, { "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", "2000::/3" },
        { "64:ff9b:0:0:0:1:808:808", "2000::/3" },
        { "64:ff9b:1::8.8.8.8", "64:ff9b:1::/48" }, { "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "64:ff9b:1::/48" }, { "64:ff9b:2::", "2000::/3" },
        { "100::", "100::/64" }, { "100::ffff:ffff:ffff:ffff", "100::/64" }, { "100:0:0:1::", "2000::/3" },
        { "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "" }, { "2001::", "2001::/32 Teredo" },
        { "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::/32 Teredo" }, { "2001:0:ffff:ffff:ffff:ffff:ffff:ffff", "2001::/32 Teredo" },
        { "2001:1::1", "2001::/23" }, { "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "2001::/23" }, { "2001:200::", "" },
        { "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "" }, { "2001:db8::", "2001:db8::/32" },
        { "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::/32" }, { "2001:db9::", "" },
        { "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "" }, { "2002::", "0.0.0.0/8" }, { "2002:808:808::", "" },
        { "2002:a00:1::", "10.0.0.0/8" }, { "2002:7f00:1::", "127.0.0.0/8" }, { "2002:c000:201::", "192.0.2.0/24" },
        { "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "255.255.255.255/32" }, { "2003::", "" },
        { "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "" }, { "3fff::", "3fff::/20" }, { "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "3fff::/20" },
        { "3fff:1000::", "" }, { "4000::", "2000::/3" }, { "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2000::/3" },
        { "5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2000::/3" }, { "5f00::", "5f00::/16" },
        { "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "5f00::/16" }, { "5f01::", "2000::/3" },
        { "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2000::/3" }, { "fc00::", "fc00::/7" },
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fc00::/7" }, { "fe00::", "2000::/3" },
        { "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2000::/3" }, { "fe80::", "fe80::/10" },
        { "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fe80::/10" }, { "fec0::", "fec0::/10" },
        { "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::/10" }, { "ff00::", "ff00::/8" },
        { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ff00::/8" }, { "2606:4700::1111", "" }, { "8.8.8.8", "" },
    };

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task Address_literals_are_judged_by_the_registries(string address, string range)
    {
        var parsed = IPAddress.Parse(address);
        var host = parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
        var refusal = await new UrlGuard(new WebAccessOptions()).CheckAsync(new Uri($"http://{host}/"), default);
        AssertVerdict(range, refusal);
    }

    [Theory]
    [MemberData(nameof(Addresses))]
    public async Task Names_resolving_to_an_address_are_judged_by_the_registries(string address, string range)
    {
        var guard = new UrlGuard(new WebAccessOptions(), (_, _) => Task.FromResult(new[] { IPAddress.Parse(address) }));
        var refusal = await guard.CheckAsync(new Uri("http://name.example/"), default);
        AssertVerdict(range, refusal);
        if (refusal is not null)
        {
            Assert.Contains("resolves to", refusal);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.255.255", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("2002:a00:1::", false)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)]
    [InlineData("fe80::1", false)]
    public async Task Allowing_loopback_allows_loopback_only(string address, bool allowed)
    {
        var guard = new UrlGuard(new WebAccessOptions { AllowLoopback = true }, (_, _) => Task.FromResult(new[] { IPAddress.Parse(address) }));
        var refusal = await guard.CheckAsync(new Uri("http://name.example/"), default);
        Assert.Equal(allowed, refusal is null);
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::1")]
    [InlineData("2002:a00:1::")]
    [InlineData("64:ff9b::10.0.0.1")]
    [InlineData("fc00::1")]
    public async Task Allowing_private_networks_allows_the_other_non_public_ranges(string address)
    {
        var guard = new UrlGuard(new WebAccessOptions { AllowPrivateNetworks = true }, (_, _) => Task.FromResult(new[] { IPAddress.Parse(address) }));
        Assert.Null(await guard.CheckAsync(new Uri("http://name.example/"), default));
        Assert.NotNull(await new UrlGuard(new WebAccessOptions(), (_, _) => Task.FromResult(new[] { IPAddress.Parse(address) })).CheckAsync(new Uri("http://name.example/"), default));
    }

    private static void AssertVerdict(string range, string? refusal)
    {
        if (range.Length == 0)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.NotNull(refusal);
            Assert.Contains("not allowed", refusal);
            Assert.Contains(range, refusal);
        }
    }
}
