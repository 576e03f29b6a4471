using System.Net;
using System.Net.Sockets;

namespace Agents.Plugins.Security;

/// <summary>Decides whether a URL may be fetched: scheme, host allow-list and resolved addresses.</summary>
internal sealed class UrlGuard
{
    private readonly WebAccessOptions _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public UrlGuard(WebAccessOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    public WebAccessOptions Options => _options;

    /// <summary>Resolves a host name (or parses an address literal) with the guard's resolver.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        => IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, cancellationToken).ConfigureAwait(false);

    /// <summary>Checks the scheme and the literal host only (no DNS); returns a refusal reason or null.</summary>
    public string? CheckSyntax(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            return "the URL is not absolute; give a full http:// or https:// URL";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"the '{uri.Scheme}:' scheme is not allowed; only http and https URLs can be read";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "URLs with user names or passwords are not allowed";
        }

        if (IPAddress.TryParse(uri.IdnHost, out var literal) && !IsHostAllowed(uri.IdnHost) && !IsAddressAllowed(literal))
        {
            return $"the address {literal} is loopback, link-local or private and is not allowed";
        }

        return null;
    }

    /// <summary>Checks the URL and every address its host resolves to; returns a refusal reason or null.</summary>
    public async Task<string?> CheckAsync(Uri uri, CancellationToken cancellationToken)
    {
        var reason = CheckSyntax(uri);
        if (reason is not null || IsHostAllowed(uri.IdnHost))
        {
            return reason;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            return $"the host '{uri.Host}' could not be resolved ({ex.SocketErrorCode})";
        }

        if (addresses.Length == 0)
        {
            return $"the host '{uri.Host}' could not be resolved";
        }

        foreach (var address in addresses)
        {
            if (!IsAddressAllowed(address))
            {
                return $"the host '{uri.Host}' resolves to {address}, a loopback, link-local or private address, which is not allowed";
            }
        }

        return null;
    }

    public bool IsHostAllowed(string host) => _options.AllowedHosts.Contains(host.TrimEnd('.'));

    public bool IsAddressAllowed(IPAddress address)
    {
        return Classify(address) switch
        {
            AddressKind.Public => true,
            AddressKind.Loopback => _options.AllowLoopback,
            _ => _options.AllowPrivateNetworks,
        };
    }

    internal enum AddressKind
    {
        Public,
        Loopback,
        NonPublic,
    }

    internal static AddressKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] switch
            {
                127 => AddressKind.Loopback,
                0 or 10 => AddressKind.NonPublic,
                100 when (b[1] & 0xC0) == 64 => AddressKind.NonPublic, // 100.64.0.0/10
                169 when b[1] == 254 => AddressKind.NonPublic, // link-local, cloud metadata
                172 when (b[1] & 0xF0) == 16 => AddressKind.NonPublic,
                192 when b[1] == 168 => AddressKind.NonPublic,
                192 when b[1] == 0 && b[2] == 0 => AddressKind.NonPublic,
                198 when (b[1] & 0xFE) == 18 => AddressKind.NonPublic, // benchmarking 198.18/15
                >= 224 => AddressKind.NonPublic, // multicast, reserved, broadcast
                _ => AddressKind.Public,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (IPAddress.IPv6Loopback.Equals(address))
            {
                return AddressKind.Loopback;
            }

            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            if (IPAddress.IPv6Any.Equals(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast || (b[0] & 0xFE) == 0xFC)
            {
                return AddressKind.NonPublic;
            }

            // NAT64 (64:ff9b::/96) and IPv4-compatible addresses carry an IPv4 address: judge that one.
            bool nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].IndexOfAnyExcept((byte)0) < 0;
            bool compatible = b[..12].IndexOfAnyExcept((byte)0) < 0;
            if (nat64 || compatible)
            {
                return Classify(new IPAddress(b[12..]));
            }

            return AddressKind.Public;
        }

        return AddressKind.NonPublic;
    }
}
