using System.ComponentModel.DataAnnotations;

namespace Agents.Plugins.Security;

/// <summary>
/// Which network destinations the web tools may reach. Secure by default: only public <c>http</c> and
/// <c>https</c> addresses are allowed; loopback, link-local and private ranges are refused after DNS
/// resolution and on every redirect.
/// </summary>
public sealed class WebAccessOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether loopback addresses (<c>127.0.0.0/8</c>, <c>::1</c>) may be reached.
    /// Default: <see langword="false"/>.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether private, link-local, carrier-grade NAT, unique-local and the other
    /// ranges of the IANA IPv4 and IPv6 special-purpose registries (<c>10/8</c>, <c>172.16/12</c>, <c>192.168/16</c>,
    /// <c>169.254/16</c>, <c>100.64/10</c>, documentation, benchmarking, multicast, reserved, <c>fc00::/7</c>,
    /// <c>fe80::/10</c>, Teredo, IPv6 outside <c>2000::/3</c>, ...) may be reached, as well as IPv6 transition
    /// addresses (IPv4-mapped, NAT64, 6to4, ...) that embed such an IPv4 address. Default: <see langword="false"/>.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Gets the host names that may be reached whatever address they resolve to (exact, case-insensitive
    /// match). Default: empty.
    /// </summary>
    public ISet<string> AllowedHosts { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the most redirects one page read follows. Default: 5. Range: 0 to 20.</summary>
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is out of range; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<WebAccessOptions>(new WebAccessOptionsValidator().Validate(null, this));
}
