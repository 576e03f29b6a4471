namespace Agents.Plugins.Security;

/// <summary>How <see cref="UrlGuard"/> treats an address: public, loopback, or otherwise not public.</summary>
internal enum AddressKind
{
    /// <summary>A public address: always allowed.</summary>
    Public,

    /// <summary>A loopback address: allowed with <see cref="WebAccessOptions.AllowLoopback"/>.</summary>
    Loopback,

    /// <summary>Private, link-local, documentation, multicast, reserved and other non-public ranges: allowed with <see cref="WebAccessOptions.AllowPrivateNetworks"/>.</summary>
    NonPublic,
}
