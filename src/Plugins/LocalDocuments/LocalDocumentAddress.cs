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

    /// <summary>Whether <paramref name="hostName"/> is a DNS name under <c>.invalid</c>.</summary>
    public static bool IsLocalHostName(string? hostName) =>
        !string.IsNullOrWhiteSpace(hostName)
        && Uri.CheckHostName(hostName) == UriHostNameType.Dns
        && hostName.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase)
        && hostName.Length > ".invalid".Length;

    /// <summary>The failure of a host name option (<paramref name="optionName"/>, for example <c>LocalDocumentsOptions.HostName</c>) that is not a DNS name under <c>.invalid</c>.</summary>
    public static string HostNameFailure(string optionName, string? hostName) =>
        $"{optionName} '{hostName}' must be a host name under the reserved .invalid domain (for example \"{LocalDocumentsOptions.DefaultHostName}\"), so that local document addresses never reach a network.";

    /// <summary>
    /// The rules of a local documents options object that attributes cannot say: the host name of the addresses and the
    /// file extensions (<see cref="LocalDocumentsOptions"/> and <see cref="Search.Local.LocalIndexOptions"/>).
    /// </summary>
    public static IEnumerable<ValidationResult> ValidateFolderOptions(ValidationContext context, string hostNameMember, string? hostName, IEnumerable<string> extensions)
    {
        string owner = OptionsValidation.OwnerName(context);
        if (!IsLocalHostName(hostName))
        {
            yield return new ValidationResult(HostNameFailure($"{owner}.{hostNameMember}", hostName), [hostNameMember]);
        }

        if (!OptionsValidation.AreExtensions(extensions, requireOne: true))
        {
            yield return new ValidationResult($"{owner}.Extensions must hold at least one extension, each starting with a dot (for example \".md\").", ["Extensions"]);
        }
    }

    /// <summary>Throws when the folder <paramref name="path"/> (the option <paramref name="optionName"/>) does not exist.</summary>
    public static void EnsureFolder(string? path, string optionName)
    {
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{optionName}: the folder '{path}' does not exist.");
        }
    }
}
