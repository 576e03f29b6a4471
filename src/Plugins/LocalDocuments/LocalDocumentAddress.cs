using Microsoft.Extensions.Options;

namespace Agents.Plugins.LocalDocuments;

/// <summary>Builds and checks the addresses of the local documents virtual host.</summary>
internal static class LocalDocumentAddress
{
    /// <summary>The address of a file given by its path relative to the root (either separator), each segment escaped.</summary>
    public static Uri Create(string hostName, string relativePath)
    {
        var segments = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new Uri("http://" + hostName + "/" + string.Join('/', segments.Select(Uri.EscapeDataString)));
    }

    /// <summary>Throws when <paramref name="hostName"/> is not a DNS name under <c>.invalid</c>.</summary>
    public static void ValidateHostName(string? hostName, string optionName)
    {
        if (string.IsNullOrWhiteSpace(hostName)
            || Uri.CheckHostName(hostName) != UriHostNameType.Dns
            || !hostName.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase)
            || hostName.Length <= ".invalid".Length)
        {
            throw new OptionsValidationException(optionName, typeof(LocalDocumentsOptions), [$"{optionName} '{hostName}' must be a host name under the reserved .invalid domain (for example \"{LocalDocumentsOptions.DefaultHostName}\"), so that local document addresses never reach a network."]);
        }
    }
}
