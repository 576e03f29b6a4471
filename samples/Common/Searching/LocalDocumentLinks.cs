using System.Text.RegularExpressions;

namespace Agents.Samples.Common.Searching;

/// <summary>
/// Gives files of the local index addresses the <c>browse</c> tool can read: the page's own canonical http(s) link
/// when an HTML file declares one (a saved or generated web page), otherwise
/// <c>http://local-documents.invalid/&lt;relative path&gt;</c>, which <see cref="LocalDocumentsPageFetcher"/> serves
/// from the folder (the reserved <c>.invalid</c> name never reaches a network).
/// </summary>
public sealed partial class LocalDocumentLinks
{
    /// <summary>The host of local document addresses.</summary>
    public const string Host = "local-documents.invalid";

    private readonly string _root;

    /// <summary>Creates the mapping for the documents folder <paramref name="root"/>.</summary>
    public LocalDocumentLinks(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
    }

    /// <summary>The documents folder, with a trailing separator.</summary>
    public string Root => _root;

    /// <summary>The browsable address for a file URI inside the folder; other URIs are returned unchanged.</summary>
    public Uri ToBrowsable(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsFile)
        {
            return url;
        }

        string path = Path.GetFullPath(url.LocalPath);
        if (!path.StartsWith(_root, StringComparison.Ordinal))
        {
            return url;
        }

        if (path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase))
        {
            string head = ReadHead(path);
            var m = CanonicalLink().Match(head);
            if (m.Success && Uri.TryCreate(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), UriKind.Absolute, out var canonical)
                && (canonical.Scheme == Uri.UriSchemeHttp || canonical.Scheme == Uri.UriSchemeHttps))
            {
                return canonical;
            }
        }

        string relative = path[_root.Length..].Replace(Path.DirectorySeparatorChar, '/');
        return new Uri("http://" + Host + "/" + string.Join('/', relative.Split('/').Select(Uri.EscapeDataString)));
    }

    /// <summary>The file for a local document address, or null when the address is not one or leaves the folder.</summary>
    public string? ToFile(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || !string.Equals(url.Host, Host, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string relative = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
        if (relative.Length == 0 || relative.Contains('\\', StringComparison.Ordinal) || relative.Split('/').Any(s => s is ".." or "."))
        {
            return null;
        }

        string full = Path.GetFullPath(Path.Combine(_root, relative));
        if (!full.StartsWith(_root, StringComparison.Ordinal))
        {
            return null;
        }

        // Refuse symbolic links that point out of the folder.
        var info = new FileInfo(full);
        if (info.Exists && info.LinkTarget is not null)
        {
            string? target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (target is null || !Path.GetFullPath(target).StartsWith(_root, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return full;
    }

    private static string ReadHead(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var buffer = new char[8192];
            int n = reader.ReadBlock(buffer, 0, buffer.Length);
            return new string(buffer, 0, n);
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    [GeneratedRegex("<link\\s+rel=\"canonical\"\\s+href=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex CanonicalLink();
}
