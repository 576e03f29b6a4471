namespace Agents.Plugins.Security;

/// <summary>The outcome of <see cref="UrlGuard.CheckAndResolveAsync"/>: a refusal reason, or the addresses the host resolved to, all of which passed.</summary>
/// <param name="Refusal">Why the URL is refused, in words for the model; null when it is allowed.</param>
/// <param name="Addresses">The checked addresses to dial (empty when refused); connections go to these and no others (see <see cref="GuardedConnector.PinnedAddresses"/>).</param>
public sealed record UrlCheck(string? Refusal, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>Gets a value indicating whether the URL is allowed (there is no <see cref="Refusal"/>).</summary>
    public bool IsAllowed => Refusal is null;

    /// <summary>Creates a refusal.</summary>
    /// <param name="reason">Why the URL is refused.</param>
    /// <returns>The outcome, with no addresses.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is null, empty or white space.</exception>
    public static UrlCheck Refused(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(reason, []);
    }
}
