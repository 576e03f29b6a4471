using System.Net;

namespace Agents.Hosting.AspNetCore;

/// <summary>Reads the addresses a Kestrel server reports as bound (<c>IServerAddressesFeature</c>).</summary>
public static class ListenAddress
{
    /// <summary>Returns whether only this machine can reach <paramref name="address"/>: a loopback IP, <c>localhost</c>, or a Unix socket / named pipe.</summary>
    /// <param name="address">A bound address such as <c>http://127.0.0.1:5080</c>, <c>http://[::]:80</c> or <c>http://+:80</c>.</param>
    public static bool IsLoopback(string address)
    {
        var parsed = Parse(address);
        if (parsed is null)
        {
            return false;
        }

        if (parsed.IsUnixPipe || parsed.IsNamedPipe)
        {
            return true;
        }

        var host = parsed.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Returns whether <paramref name="address"/> listens on every interface (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c>).</summary>
    /// <param name="address">A bound address.</param>
    public static bool IsWildcard(string address)
    {
        var parsed = Parse(address);
        if (parsed is null || parsed.IsUnixPipe || parsed.IsNamedPipe)
        {
            return false;
        }

        var host = parsed.Host.Trim('[', ']');
        return host is "*" or "+" || (IPAddress.TryParse(host, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));
    }

    /// <summary>Parses a bound address; <see langword="null"/> when it cannot be read.</summary>
    /// <param name="address">The address.</param>
    public static BindingAddress? Parse(string address)
    {
        try
        {
            return BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
