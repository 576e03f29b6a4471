using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Hosting.AspNetCore;

/// <summary>
/// Decides who may talk to a Kestrel-hosted sample. Nothing is served until <see cref="OnStarted"/> has seen the
/// addresses actually bound: if any is reachable from other machines (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, a LAN IP,
/// a host name) and no API key is set, the server refuses to run. Every request's <c>Host</c> must then be a loopback
/// name, a bound address (with a wildcard bind: an address of this machine's interfaces) or listed in
/// <c>AllowedHosts</c>; an <c>Origin</c>, where checked, must be one of those hosts on a bound port and scheme, or be
/// listed in <c>AllowedOrigins</c>. This blocks DNS rebinding: a hostile page's requests carry its own host name.
/// </summary>
public sealed partial class ExposureGuard
{
    private readonly string _section;
    private readonly bool _hasKey;
    private readonly string[] _allowedHosts;
    private readonly string[] _allowedOrigins;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private HashSet<IPAddress> _boundIps = [];
    private HashSet<string> _boundNames = new(StringComparer.OrdinalIgnoreCase);
    private HashSet<(string Scheme, int Port)> _boundPorts = [];
    private volatile bool _open;

    /// <param name="section">The configuration section, used in messages (for example <c>ChatApp</c>).</param>
    /// <param name="apiKey">The API key; <see langword="null"/> or empty when none is set.</param>
    /// <param name="allowedHosts">The <c>;</c>-separated extra hosts (see <see cref="ValidateHosts"/>).</param>
    /// <param name="allowedOrigins">The <c>;</c>-separated extra origins (see <see cref="ValidateOrigins"/>).</param>
    /// <param name="loggerFactory">Creates the logger a refusal is written to.</param>
    public ExposureGuard(string section, string? apiKey, string? allowedHosts, string? allowedOrigins, ILoggerFactory? loggerFactory = null)
    {
        _section = section;
        _hasKey = !string.IsNullOrWhiteSpace(apiKey);
        _allowedHosts = [.. Split(allowedHosts).Select(NormalizeHost)];
        _allowedOrigins = [.. Split(allowedOrigins).Select(o => o == "*" ? o : NormalizeOrigin(o)!)];
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ExposureGuard>();
    }

    /// <summary>Gets why the server refused to run; <see langword="null"/> when it did not.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Gets a value indicating whether requests are served: the bound addresses were checked and accepted.</summary>
    public bool IsOpen => _open;

    /// <summary>Gets the configuration section, for messages.</summary>
    public string Section => _section;

    /// <summary>Checks <c>AllowedHosts</c>: host names, IP addresses, <c>*.example.org</c> or <c>*</c> (any host), without scheme or port.</summary>
    /// <param name="section">The section, for messages.</param>
    /// <param name="allowedHosts">The value.</param>
    public static IReadOnlyList<string> ValidateHosts(string section, string? allowedHosts)
    {
        var failures = new List<string>();
        foreach (var entry in Split(allowedHosts))
        {
            var host = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
            if (entry != "*" && (host.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(host.Trim('[', ']'), out _)
                || Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown))
            {
                failures.Add($"{section}:AllowedHosts contains '{entry}', which is not a host name or IP address; give names such as 'chat.example.org', '192.168.1.5' or '*.example.org', separated by ';' and without scheme or port.");
            }
        }

        return failures;
    }

    /// <summary>Checks <c>AllowedOrigins</c>: <c>scheme://host[:port]</c> entries, or <c>*</c> (any origin).</summary>
    /// <param name="section">The section, for messages.</param>
    /// <param name="allowedOrigins">The value.</param>
    public static IReadOnlyList<string> ValidateOrigins(string section, string? allowedOrigins)
    {
        var failures = new List<string>();
        foreach (var entry in Split(allowedOrigins))
        {
            if (entry != "*" && NormalizeOrigin(entry) is null)
            {
                failures.Add($"{section}:AllowedOrigins contains '{entry}', which is not an origin; give entries such as 'http://localhost:6274' (scheme, host and optional port, no path), separated by ';'.");
            }
        }

        return failures;
    }

    /// <summary>Checks the addresses the server actually bound; opens the gate or records the refusal.</summary>
    /// <param name="addresses">The bound addresses (<c>IServerAddressesFeature.Addresses</c>).</param>
    /// <returns><see langword="true"/> when the server may serve.</returns>
    public bool OnStarted(IReadOnlyCollection<string> addresses)
    {
        var exposed = addresses.Where(a => !ListenAddress.IsLoopback(a)).ToList();
        if (exposed.Count > 0 && !_hasKey)
        {
            Refusal = $"The server listens on {string.Join(", ", exposed)}, which other machines can reach, and {_section}:ApiKey is not set, so it refuses to run. "
                + $"Set {_section}:ApiKey (16 or more characters), or listen on loopback only (for example http://127.0.0.1:PORT).";
            LogRefused(_logger, Refusal);
            return false;
        }

        var ips = new HashSet<IPAddress>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ports = new HashSet<(string, int)>();
        foreach (var address in addresses)
        {
            if (ListenAddress.Parse(address) is not { IsUnixPipe: false, IsNamedPipe: false } parsed)
            {
                continue;
            }

            ports.Add((parsed.Scheme.ToLowerInvariant(), parsed.Port));
            if (ListenAddress.IsWildcard(address))
            {
                ips.UnionWith(InterfaceAddresses());
            }
            else if (IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var ip))
            {
                ips.Add(Canonical(ip));
            }
            else
            {
                names.Add(NormalizeHost(parsed.Host));
            }
        }

        lock (_gate)
        {
            _boundIps = ips;
            _boundNames = names;
            _boundPorts = ports;
        }

        _open = true;
        return true;
    }

    /// <summary>Returns whether a request's <c>Host</c> header names this server.</summary>
    /// <param name="host">The header.</param>
    public bool IsHostAllowed(HostString host)
    {
        // HTTP/1.0 requests may omit Host; browsers always send it, so DNS rebinding cannot use an empty one.
        return !host.HasValue || IsHostAllowed(host.Host);
    }

    /// <summary>Returns whether an <c>Origin</c> header is this server itself or an allowed origin.</summary>
    /// <param name="origin">The header.</param>
    public bool IsOriginAllowed(string origin)
    {
        if (_allowedOrigins.Contains("*"))
        {
            return true;
        }

        var normalized = NormalizeOrigin(origin);
        if (normalized is null)
        {
            return false;
        }

        if (_allowedOrigins.Contains(normalized, StringComparer.Ordinal))
        {
            return true;
        }

        var uri = new Uri(normalized);
        lock (_gate)
        {
            if (!_boundPorts.Contains((uri.Scheme, uri.Port)))
            {
                return false;
            }
        }

        return IsHostAllowed(uri.Host);
    }

    private bool IsHostAllowed(string rawHost)
    {
        var host = NormalizeHost(rawHost);
        if (host.Length == 0)
        {
            return false;
        }

        foreach (var allowed in _allowedHosts)
        {
            if (allowed == "*" || allowed == host
                || (allowed.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(allowed[1..], StringComparison.Ordinal)))
            {
                return true;
            }
        }

        if (IPAddress.TryParse(host, out var ip))
        {
            ip = Canonical(ip);
            if (IPAddress.IsLoopback(ip))
            {
                return true;
            }

            lock (_gate)
            {
                return _boundIps.Contains(ip);
            }
        }

        if (host == "localhost")
        {
            return true;
        }

        lock (_gate)
        {
            return _boundNames.Contains(host);
        }
    }

    private static IEnumerable<IPAddress> InterfaceAddresses()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => Canonical(a.Address))];
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }

    private static IPAddress Canonical(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            return ip.MapToIPv4();
        }

        // Link-local addresses carry a zone (%eth0) the Host header does not.
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && ip.ScopeId != 0 ? new IPAddress(ip.GetAddressBytes()) : ip;
    }

    private static string NormalizeHost(string host) => host.Trim().Trim('[', ']').TrimEnd('.').ToLowerInvariant();

    private static string? NormalizeOrigin(string origin)
    {
        if (!Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return $"{uri.Scheme}://{uri.Host.ToLowerInvariant()}:{uri.Port}";
    }

    private static string[] Split(string? value) =>
        (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Refusal}")]
    private static partial void LogRefused(ILogger logger, string refusal);
}
