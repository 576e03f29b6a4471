using System.Net.Sockets;

namespace Agents.Plugins.Security;

/// <summary>
/// Opens the TCP connections of an <see cref="HttpClient"/> only to addresses the guard allows. A request that
/// carries <see cref="PinnedAddresses"/> (the addresses <see cref="UrlGuard.CheckAndResolveAsync"/> checked) is
/// dialled to those and no others, so a second DNS answer can never redirect it; otherwise the host is resolved
/// here and every address the guard refuses is dropped before dialling. Redirects are never followed.
/// </summary>
internal sealed class GuardedConnector
{
    /// <summary>The checked addresses a request must be dialled to.</summary>
    public static readonly HttpRequestOptionsKey<IReadOnlyList<IPAddress>> PinnedAddresses = new("Agents.Security.PinnedAddresses");

    private readonly UrlGuard _guard;

    public GuardedConnector(UrlGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        _guard = guard;
    }

    /// <summary>Creates a handler that connects through this connector, never redirects and keeps no cookies.</summary>
    public static SocketsHttpHandler CreateHandler(UrlGuard guard, DecompressionMethods decompression = DecompressionMethods.All)
        => new()
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = decompression,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = new GuardedConnector(guard).ConnectAsync,
        };

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var candidates = context.InitialRequestMessage.Options.TryGetValue(PinnedAddresses, out var pinned)
            ? [.. pinned]
            : await _guard.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = _guard.IsHostAllowed(host) ? candidates : candidates.Where(_guard.IsAddressAllowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new AddressRefusedException($"refused: '{host}' resolves only to loopback, link-local or private addresses");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
