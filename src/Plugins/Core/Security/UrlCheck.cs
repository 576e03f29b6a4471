namespace Agents.Plugins.Security;

/// <summary>The outcome of checking a URL: a refusal reason, or the addresses its host resolved to and that passed.</summary>
/// <param name="Refusal">Why the URL is refused; null when it is allowed.</param>
/// <param name="Addresses">The checked addresses to dial (empty when refused); connections go to these and no others.</param>
internal sealed record UrlCheck(string? Refusal, IReadOnlyList<IPAddress> Addresses)
{
    public static UrlCheck Refused(string reason) => new(reason, []);
}
