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
            return $"the address {literal} is loopback, link-local or private and is not allowed ({Describe(literal)})";
        }

        return null;
    }

    /// <summary>Checks the URL and every address its host resolves to; returns a refusal reason or null.</summary>
    /// <remarks>An allow-listed host is not resolved here; whoever connects resolves it.</remarks>
    public async Task<string?> CheckAsync(Uri uri, CancellationToken cancellationToken)
    {
        var reason = CheckSyntax(uri);
        if (reason is not null || IsHostAllowed(uri.IdnHost))
        {
            return reason;
        }

        return (await CheckHostAsync(uri.IdnHost, uri.Host, cancellationToken).ConfigureAwait(false)).Refusal;
    }

    /// <summary>
    /// Checks the URL and resolves its host once, also for an allow-listed host, and returns the addresses that
    /// passed: a caller that dials only these (see <see cref="GuardedConnector"/>) cannot be rebound by a later lookup.
    /// </summary>
    public async Task<UrlCheck> CheckAndResolveAsync(Uri uri, CancellationToken cancellationToken)
    {
        var reason = CheckSyntax(uri);
        return reason is not null
            ? UrlCheck.Refused(reason)
            : await CheckHostAsync(uri.IdnHost, uri.Host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves a host (IDN form) once and checks every address; <paramref name="displayHost"/> is named in refusals.</summary>
    public async Task<UrlCheck> CheckHostAsync(string host, string displayHost, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            return UrlCheck.Refused($"the host '{displayHost}' could not be resolved ({ex.SocketErrorCode})");
        }

        if (addresses.Length == 0)
        {
            return UrlCheck.Refused($"the host '{displayHost}' could not be resolved");
        }

        if (!IsHostAllowed(host))
        {
            foreach (var address in addresses)
            {
                if (!IsAddressAllowed(address))
                {
                    return UrlCheck.Refused($"the host '{displayHost}' resolves to {address}, a loopback, link-local or private address, which is not allowed ({Describe(address)})");
                }
            }
        }

        return new UrlCheck(null, addresses);
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

    /// <summary>Classifies an address with the special-purpose table (<see cref="SpecialPurposeAddresses"/>).</summary>
    internal static AddressKind Classify(IPAddress address) => SpecialPurposeAddresses.Classify(address).Kind;

    /// <summary>Names the range that makes an address non-public, for refusal messages.</summary>
    internal static string Describe(IPAddress address) => SpecialPurposeAddresses.Classify(address).Range ?? "public";
}
