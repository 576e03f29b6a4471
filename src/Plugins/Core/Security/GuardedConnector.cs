using System.Net.Sockets;

namespace Agents.Plugins.Security;

/// <summary>
/// Opens the TCP connections of an <see cref="HttpClient"/> only to addresses the guard allows. A request that
/// carries <see cref="PinnedAddresses"/> (the addresses <see cref="UrlGuard.CheckAndResolveAsync"/> checked) is
/// dialled to those and no others, so a second DNS answer can never redirect it; otherwise the host is resolved
/// here and every address the guard refuses is dropped before dialling. Redirects are never followed.
/// </summary>
/// <remarks>
/// A plugin that calls the web creates its client with <c>new HttpClient(GuardedConnector.CreateHandler(guard))</c>;
/// a host whose every address is refused fails the request with an <see cref="HttpRequestException"/>, which the
/// resilience pipeline of <see cref="Resilience.HttpResilience"/> never retries.
/// </remarks>
public sealed class GuardedConnector
{
    /// <summary>The request option that carries the checked addresses a request must be dialled to (<see cref="UrlCheck.Addresses"/>): <c>request.Options.Set(GuardedConnector.PinnedAddresses, check.Addresses)</c>.</summary>
    public static readonly HttpRequestOptionsKey<IReadOnlyList<IPAddress>> PinnedAddresses = new("Agents.Security.PinnedAddresses");

    private readonly UrlGuard _guard;

    /// <summary>Creates a connector.</summary>
    /// <param name="guard">The guard that decides which addresses may be dialled.</param>
    /// <exception cref="ArgumentNullException"><paramref name="guard"/> is null.</exception>
    public GuardedConnector(UrlGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        _guard = guard;
    }

    /// <summary>Creates a handler that connects through a new connector, never redirects, uses no proxy and keeps no cookies.</summary>
    /// <param name="guard">The guard that decides which addresses may be dialled.</param>
    /// <param name="decompression">The response encodings the handler decompresses. Default: all.</param>
    /// <returns>The handler; the <see cref="HttpClient"/> that is given it disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="guard"/> is null.</exception>
    public static SocketsHttpHandler CreateHandler(UrlGuard guard, DecompressionMethods decompression = DecompressionMethods.All)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return new()
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = decompression,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = new GuardedConnector(guard).ConnectAsync,
        };
    }

    /// <summary>Opens the connection of a request: the <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    /// <param name="context">The host and port to connect to and the request that asks.</param>
    /// <param name="cancellationToken">Cancels the lookup and the connection.</param>
    /// <returns>The connected stream.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    /// <exception cref="HttpRequestException">Every address of the host is refused.</exception>
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
