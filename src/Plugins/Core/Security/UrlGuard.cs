using System.Net.Sockets;

namespace Agents.Plugins.Security;

/// <summary>
/// Decides whether a URL may be fetched: the scheme (<c>http</c> or <c>https</c> only), user information, the host
/// allow-list and every address the host resolves to (loopback, link-local, private and the other special-purpose
/// ranges are refused unless <see cref="WebAccessOptions"/> allows them). A plugin that reads the web (a search
/// provider, a page fetcher) checks each URL with <see cref="CheckAsync"/> or <see cref="CheckAndResolveAsync"/> and
/// connects through <see cref="GuardedConnector"/>, so the address actually dialled is the one that was checked.
/// </summary>
/// <remarks>Thread-safe: the guard holds no state besides its options and resolver.</remarks>
public sealed class UrlGuard
{
    private readonly WebAccessOptions _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <summary>Creates a guard.</summary>
    /// <param name="options">Which destinations may be reached; validated here.</param>
    /// <param name="resolve">Resolves a host name to its addresses; <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/> when null (tests give a fixed answer).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names the option.</exception>
    public UrlGuard(WebAccessOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>Gets the options the guard follows.</summary>
    public WebAccessOptions Options => _options;

    /// <summary>Resolves a host name (or parses an address literal) with the guard's resolver; nothing is checked.</summary>
    /// <param name="host">The host name (IDN form) or an IP address literal.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The addresses, possibly none.</returns>
    /// <exception cref="ArgumentException"><paramref name="host"/> is null, empty or white space.</exception>
    /// <exception cref="SocketException">The resolver could not resolve the host.</exception>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        return IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the scheme, the user information and a literal address host only (no DNS lookup).</summary>
    /// <param name="uri">The URL.</param>
    /// <returns>Why the URL is refused, in words for the model; null when it passes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is null.</exception>
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

    /// <summary>Checks the URL and every address its host resolves to.</summary>
    /// <remarks>An allow-listed host is not resolved here; whoever connects resolves it.</remarks>
    /// <param name="uri">The URL.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>Why the URL is refused, in words for the model; null when it passes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is null.</exception>
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
    /// passed: a caller that dials only these (set them as <see cref="GuardedConnector.PinnedAddresses"/> on the
    /// request) cannot be rebound by a later lookup.
    /// </summary>
    /// <param name="uri">The URL.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The refusal, or the checked addresses.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is null.</exception>
    public async Task<UrlCheck> CheckAndResolveAsync(Uri uri, CancellationToken cancellationToken)
    {
        var reason = CheckSyntax(uri);
        return reason is not null
            ? UrlCheck.Refused(reason)
            : await CheckHostAsync(uri.IdnHost, uri.Host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves a host once and checks every address it resolves to (all of them must pass, unless the host is allow-listed).</summary>
    /// <param name="host">The host in IDN form (<see cref="Uri.IdnHost"/>), or an address literal.</param>
    /// <param name="displayHost">The host as named in refusals (<see cref="Uri.Host"/>).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The refusal (also when the host cannot be resolved), or the checked addresses.</returns>
    /// <exception cref="ArgumentException"><paramref name="host"/> or <paramref name="displayHost"/> is null, empty or white space.</exception>
    public async Task<UrlCheck> CheckHostAsync(string host, string displayHost, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayHost);
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

    /// <summary>Whether <paramref name="host"/> is on <see cref="WebAccessOptions.AllowedHosts"/> (case-insensitive, a trailing dot ignored): it may be reached whatever it resolves to.</summary>
    /// <param name="host">The host name.</param>
    /// <returns>True when allow-listed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is null.</exception>
    public bool IsHostAllowed(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return _options.AllowedHosts.Contains(host.TrimEnd('.'));
    }

    /// <summary>Whether <paramref name="address"/> may be dialled: public addresses always; loopback with <see cref="WebAccessOptions.AllowLoopback"/>; the other special-purpose ranges with <see cref="WebAccessOptions.AllowPrivateNetworks"/>.</summary>
    /// <param name="address">An IPv4 or IPv6 address.</param>
    /// <returns>True when allowed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public bool IsAddressAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
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
