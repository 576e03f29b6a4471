using System.Net.Sockets;

namespace Agents.Plugins.Security;

/// <summary>
/// The table of addresses that are not public, after the IANA "IPv4 Special-Purpose Address Registry" and
/// "IPv6 Special-Purpose Address Registry" (iana.org/assignments/iana-ipv4-special-registry and
/// iana-ipv6-special-registry, RFC 6890), the IPv4 multicast (224.0.0.0/4) and reserved (240.0.0.0/4) space,
/// and the IANA "IPv6 Address Space" registry (only 2000::/3 is global unicast). IPv6 transition forms
/// that embed an IPv4 address (mapped, translated, IPv4-compatible, NAT64, 6to4) are judged by that IPv4
/// address too; Teredo is refused outright. The first matching row wins.
/// </summary>
internal static class SpecialPurposeAddresses
{
    private static readonly Row[] V4 =
    [
        V4Row("0.0.0.0", 8, AddressKind.NonPublic, "\"this network\""),
        V4Row("10.0.0.0", 8, AddressKind.NonPublic, "private-use"),
        V4Row("100.64.0.0", 10, AddressKind.NonPublic, "shared address space (carrier-grade NAT)"),
        V4Row("127.0.0.0", 8, AddressKind.Loopback, "loopback"),
        V4Row("169.254.0.0", 16, AddressKind.NonPublic, "link-local"),
        V4Row("172.16.0.0", 12, AddressKind.NonPublic, "private-use"),
        V4Row("192.0.0.0", 24, AddressKind.NonPublic, "IETF protocol assignments"),
        V4Row("192.0.2.0", 24, AddressKind.NonPublic, "documentation (TEST-NET-1)"),
        V4Row("192.88.99.0", 24, AddressKind.NonPublic, "deprecated 6to4 relay anycast"),
        V4Row("192.168.0.0", 16, AddressKind.NonPublic, "private-use"),
        V4Row("198.18.0.0", 15, AddressKind.NonPublic, "benchmarking"),
        V4Row("198.51.100.0", 24, AddressKind.NonPublic, "documentation (TEST-NET-2)"),
        V4Row("203.0.113.0", 24, AddressKind.NonPublic, "documentation (TEST-NET-3)"),
        V4Row("224.0.0.0", 4, AddressKind.NonPublic, "multicast"),
        V4Row("255.255.255.255", 32, AddressKind.NonPublic, "limited broadcast"),
        V4Row("240.0.0.0", 4, AddressKind.NonPublic, "reserved"),
    ];

    private static readonly Row[] V6 =
    [
        V6Row("::", 128, AddressKind.NonPublic, "unspecified"),
        V6Row("::1", 128, AddressKind.Loopback, "loopback"),
        V6Row("::ffff:0:0", 96, AddressKind.NonPublic, "IPv4-mapped", embeddedAt: 12),
        V6Row("::ffff:0:0:0", 96, AddressKind.NonPublic, "IPv4-translated", embeddedAt: 12),
        V6Row("::", 96, AddressKind.NonPublic, "IPv4-compatible (deprecated)", embeddedAt: 12),
        V6Row("64:ff9b::", 96, AddressKind.Public, "NAT64 well-known prefix", embeddedAt: 12),
        V6Row("64:ff9b:1::", 48, AddressKind.NonPublic, "local-use NAT64", embeddedAt: 12),
        V6Row("100::", 64, AddressKind.NonPublic, "discard-only"),
        V6Row("2001::", 32, AddressKind.NonPublic, "Teredo"),
        V6Row("2001::", 23, AddressKind.NonPublic, "IETF protocol assignments"),
        V6Row("2001:db8::", 32, AddressKind.NonPublic, "documentation"),
        V6Row("2002::", 16, AddressKind.Public, "6to4", embeddedAt: 2),
        V6Row("3fff::", 20, AddressKind.NonPublic, "documentation"),
        V6Row("5f00::", 16, AddressKind.NonPublic, "segment routing (SRv6) SIDs"),
        V6Row("fc00::", 7, AddressKind.NonPublic, "unique-local"),
        V6Row("fe80::", 10, AddressKind.NonPublic, "link-local"),
        V6Row("fec0::", 10, AddressKind.NonPublic, "site-local (deprecated)"),
        V6Row("ff00::", 8, AddressKind.NonPublic, "multicast"),
    ];

    private static readonly Row GlobalUnicast = V6Row("2000::", 3, AddressKind.Public, "global unicast");

    /// <summary>Classifies an address.</summary>
    /// <param name="address">An IPv4 or IPv6 address.</param>
    /// <returns>The verdict and, for a non-public address, the range that decided it (for messages).</returns>
    public static Verdict Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length))
        {
            return new Verdict(AddressKind.NonPublic, "not an IP address");
        }

        bytes = bytes[..length];
        if (address.AddressFamily == AddressFamily.InterNetwork && length == 4)
        {
            return Match(V4, bytes) is { } row ? new Verdict(row.Kind, row.Describe()) : new Verdict(AddressKind.Public, null);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || length != 16)
        {
            return new Verdict(AddressKind.NonPublic, "not an IPv4 or IPv6 address");
        }

        if (Match(V6, bytes) is not { } match)
        {
            return GlobalUnicast.Contains(bytes)
                ? new Verdict(AddressKind.Public, null)
                : new Verdict(AddressKind.NonPublic, "outside the global unicast space 2000::/3 (reserved by the IETF)");
        }

        if (match.EmbeddedAt is not { } offset)
        {
            return new Verdict(match.Kind, match.Describe());
        }

        // A transition form: the embedded IPv4 address decides when it is not public; otherwise the prefix does.
        var embedded = new IPAddress(bytes.Slice(offset, 4));
        var inner = Classify(embedded);
        return inner.Kind != AddressKind.Public
            ? new Verdict(inner.Kind, $"{match.Describe()} embedding {embedded}, {inner.Range}")
            : new Verdict(match.Kind, match.Kind == AddressKind.Public ? null : match.Describe());
    }

    private static Row? Match(Row[] rows, ReadOnlySpan<byte> bytes)
    {
        foreach (var row in rows)
        {
            if (row.Contains(bytes))
            {
                return row;
            }
        }

        return null;
    }

    private static Row V4Row(string prefix, int bits, AddressKind kind, string name)
        => new(IPAddress.Parse(prefix).GetAddressBytes(), bits, kind, name, null, prefix);

    private static Row V6Row(string prefix, int bits, AddressKind kind, string name, int? embeddedAt = null)
        => new(IPAddress.Parse(prefix).GetAddressBytes(), bits, kind, name, embeddedAt, prefix);

    /// <summary>The verdict on one address.</summary>
    /// <param name="Kind">Public, loopback or otherwise not public.</param>
    /// <param name="Range">The range that made it non-public, for example <c>192.0.2.0/24 documentation (TEST-NET-1)</c>; null when public.</param>
    internal readonly record struct Verdict(AddressKind Kind, string? Range);

    private sealed record Row(byte[] Prefix, int Bits, AddressKind Kind, string Name, int? EmbeddedAt, string Text)
    {
        public bool Contains(ReadOnlySpan<byte> address)
        {
            if (address.Length != Prefix.Length)
            {
                return false;
            }

            var whole = Bits / 8;
            if (!address[..whole].SequenceEqual(Prefix.AsSpan(0, whole)))
            {
                return false;
            }

            var rest = Bits % 8;
            if (rest == 0)
            {
                return true;
            }

            var mask = (byte)(0xFF << (8 - rest));
            return (address[whole] & mask) == (Prefix[whole] & mask);
        }

        public string Describe() => $"{Text}/{Bits} {Name}";
    }
}
