using System.Net.Sockets;
using System.Text;

namespace Agents.Plugins.Tests.TestSupport;

/// <summary>
/// A raw TCP listener that counts every connection it accepts (at the socket level, before any HTTP) and
/// answers each with a small page naming <see cref="Marker"/>, so a leak is visible both ways.
/// </summary>
public sealed class RawListener : IAsyncDisposable
{
    public const string Marker = "INTERNAL-SECRET-7c1f";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _accepted;

    public RawListener(IPAddress address, int port = 0)
    {
        _listener = new TcpListener(address, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Address = address;
        _loop = AcceptLoopAsync();
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            _ = AnswerAsync(client);
        }
    }

    private static async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[4096];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                _ = await stream.ReadAsync(buffer, timeout.Token);
                var body = $"<html><head><title>{Marker}</title></head><body><article><p>{Marker} {Marker} {Marker}</p></article></body></html>";
                var response = $"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // The client gave up; only the accept count matters.
            }
        }
    }
}
