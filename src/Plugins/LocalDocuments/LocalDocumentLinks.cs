using System.Net;
using System.Text.RegularExpressions;

namespace Agents.Plugins.LocalDocuments;

/// <summary>
/// The read-only virtual host that gives the files of one folder addresses the <c>browse</c> tool can read:
/// <c>http://local-documents.invalid/&lt;relative path&gt;</c> (see <see cref="LocalDocumentsOptions.HostName"/>).
/// An address maps to a file only when it stays inside the folder: no <c>..</c> or <c>.</c> segments (escaped or
/// not), no backslashes, no hidden segments, no symbolic link that leads out of the folder, and only the
/// extensions of <see cref="LocalDocumentsOptions.Extensions"/>. The folder's absolute path is never part of an
/// address or of a message.
/// </summary>
/// <remarks>
/// Use <see cref="LocalDocumentsPageFetcher"/> to serve the addresses and <see cref="LocalDocumentsSearchEngine"/> to
/// give search hits these addresses; <see cref="LocalDocumentsExtensions"/> wraps both in one call each.
/// Thread-safe.
/// </remarks>
public sealed partial class LocalDocumentLinks
{
    private readonly LocalDocumentsOptions _options;
    private readonly string _root;

    /// <summary>Creates the virtual host for <see cref="LocalDocumentsOptions.RootDirectory"/>.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the message names the option.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public LocalDocumentLinks(LocalDocumentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        string root = Path.GetFullPath(options.RootDirectory!);
        var info = new DirectoryInfo(root);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
        {
            root = Path.GetFullPath(target.FullName);
        }

        _root = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
    }

    /// <summary>Gets the host name of local document addresses.</summary>
    public string HostName => _options.HostName;

    /// <summary>Gets the options.</summary>
    internal LocalDocumentsOptions Options => _options;

    /// <summary>Whether <paramref name="url"/> is an address of this virtual host (whether or not a document exists there).</summary>
    /// <param name="url">Any address.</param>
    /// <returns><see langword="true"/> for an absolute address whose host is <see cref="HostName"/>.</returns>
    public bool IsLocal(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri && !url.IsFile && string.Equals(url.Host, _options.HostName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The address of the file at <paramref name="relativePath"/> below the folder.</summary>
    /// <param name="relativePath">A path relative to the folder, with <c>/</c> or <c>\</c> separators.</param>
    /// <returns>The address, for example <c>http://local-documents.invalid/notes/a%20b.md</c>.</returns>
    /// <exception cref="ArgumentException">The path is empty, absolute or leaves the folder.</exception>
    public Uri ToAddress(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        if (Path.IsPathRooted(relativePath) || relativePath.Replace('\\', '/').Split('/').Any(s => s is ".." or "."))
        {
            throw new ArgumentException("The path must be relative to the documents folder and must not contain '.' or '..' segments.", nameof(relativePath));
        }

        return LocalDocumentAddress.Create(_options.HostName, relativePath);
    }

    /// <summary>
    /// The address to show for a search hit's URL: a <c>file:</c> URI inside the folder becomes its local document
    /// address (or, with <see cref="LocalDocumentsOptions.UseCanonicalLinks"/>, the page's canonical web address);
    /// a <c>file:</c> URI outside the folder gives <see langword="null"/> (it cannot be read, and it would show a
    /// server path); every other address is returned as it is.
    /// </summary>
    /// <param name="url">A hit's URL.</param>
    /// <returns>The browsable address, or null.</returns>
    public Uri? ToBrowsable(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.IsAbsoluteUri && url.IsFile)
        {
            string path = Path.GetFullPath(url.LocalPath);
            if (!path.StartsWith(_root, StringComparison.Ordinal) || path.Length == _root.Length)
            {
                return null;
            }

            return CanonicalOf(path) ?? LocalDocumentAddress.Create(_options.HostName, path[_root.Length..]);
        }

        if (_options.UseCanonicalLinks && IsLocal(url) && Resolve(url, out _) is { } file)
        {
            return CanonicalOf(file) ?? url;
        }

        return url;
    }

    /// <summary>Removes the folder's absolute path from text shown to the model (for example a snippet).</summary>
    internal string Scrub(string text) =>
        string.Equals(Path.GetPathRoot(_root), _root, StringComparison.Ordinal)
            ? text
            : text.Replace(_root, string.Empty, StringComparison.Ordinal).Replace(_root[..^1], ".", StringComparison.Ordinal);

    /// <summary>
    /// The file behind a local document address, or null with <paramref name="refusal"/> saying (without any server
    /// path) why the address was refused. A refused address touched no document.
    /// </summary>
    internal string? Resolve(Uri url, out string? refusal)
    {
        refusal = null;
        if (!IsLocal(url))
        {
            refusal = "not an address of the local documents";
            return null;
        }

        var segments = new List<string>();
        foreach (string escaped in url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string segment = Uri.UnescapeDataString(escaped);
            if (segment is "." or ".." || segment.StartsWith('.') || segment.IndexOfAny(['/', '\\', ':']) >= 0 || segment.Any(char.IsControl))
            {
                refusal = "the path must stay inside the local documents (no '..', '.', hidden names, backslashes or colons)";
                return null;
            }

            segments.Add(segment);
        }

        if (segments.Count == 0)
        {
            refusal = "give the path of a document, for example http://" + _options.HostName + "/notes.md";
            return null;
        }

        if (!_options.Extensions.Contains(Path.GetExtension(segments[^1])))
        {
            refusal = "only documents of these types are served: " + string.Join(", ", _options.Extensions.Order(StringComparer.Ordinal));
            return null;
        }

        // Walk the path one segment at a time so that a symbolic link anywhere on it (file or folder) is followed
        // and checked before anything below it is looked at.
        string current = _root[..^1];
        foreach (string segment in segments)
        {
            current = Path.Join(current, segment);
            string? target;
            try
            {
                FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
                if (info.LinkTarget is null)
                {
                    continue;
                }

                target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // For example a loop of links; the exception's message holds the server path.
                refusal = "the document's links could not be followed";
                return null;
            }

            if (target is null || !Inside(Path.GetFullPath(target)))
            {
                refusal = "the document links to a place outside the local documents";
                return null;
            }

            current = Path.GetFullPath(target);
        }

        if (!Inside(current) || !_options.Extensions.Contains(Path.GetExtension(current)))
        {
            refusal = "the document links to a place outside the local documents";
            return null;
        }

        return current;
    }

    private bool Inside(string fullPath) => fullPath.StartsWith(_root, StringComparison.Ordinal) && fullPath.Length > _root.Length;

    private Uri? CanonicalOf(string path)
    {
        if (!_options.UseCanonicalLinks
            || !(path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var match = CanonicalLink().Match(ReadHead(path));
        return match.Success
            && Uri.TryCreate(WebUtility.HtmlDecode(match.Groups[1].Value), UriKind.Absolute, out var canonical)
            && (canonical.Scheme == Uri.UriSchemeHttp || canonical.Scheme == Uri.UriSchemeHttps)
            && !IsLocal(canonical)
                ? canonical
                : null;
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    [GeneratedRegex("<link\\s+rel=\"canonical\"\\s+href=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex CanonicalLink();
}
