namespace Agents.Plugins.Security;

/// <summary>
/// <see cref="GuardedConnector"/> refused to dial a host (every address it resolves to is refused): never retried,
/// since the guard would refuse again.
/// </summary>
internal sealed class AddressRefusedException : HttpRequestException
{
    public AddressRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Whether <paramref name="exception"/> or one of its inner exceptions is a refusal.</summary>
    public static bool IsRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AddressRefusedException)
            {
                return true;
            }
        }

        return false;
    }
}
