using Agents.Plugins.LocalDocuments;
using Microsoft.Extensions.Options;

namespace Agents.Plugins.Search.Local;

/// <summary>Options of <see cref="LocalIndexSearchEngine"/>, an embedded Lucene.Net index over a folder.</summary>
public sealed class LocalIndexOptions
{
    /// <summary>Gets or sets the folder whose documents are indexed (recursively). Required; must exist.</summary>
    public string? DocumentsDirectory { get; set; }

    /// <summary>
    /// Gets or sets the folder that holds the Lucene index; when null (the default) the index lives in memory
    /// and is rebuilt on start.
    /// </summary>
    public string? IndexDirectory { get; set; }

    /// <summary>
    /// Gets the file extensions that are indexed. Default: <c>.html</c>, <c>.htm</c>, <c>.md</c>,
    /// <c>.markdown</c>, <c>.txt</c>, <c>.pdf</c>.
    /// </summary>
    public ISet<string> Extensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".html", ".htm", ".md", ".markdown", ".txt", ".pdf" };

    /// <summary>Gets or sets the largest file that is indexed, in bytes; larger files are skipped. Default: 20 MiB.</summary>
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// Gets or sets how old the last scan of the folder may be before a search rescans it for changed, new and
    /// deleted files (incremental reindex). <see cref="TimeSpan.Zero"/> rescans before every search.
    /// Default: 30 seconds.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the host name of the addresses the hits carry: <c>http://&lt;host&gt;/&lt;path relative to the
    /// folder&gt;</c>, never a <c>file:</c> URL with the server's absolute path. A <see cref="LocalDocumentsPageFetcher"/>
    /// whose <see cref="LocalDocumentsOptions.HostName"/> is the same serves them to <c>browse</c>. Must be a name under
    /// the reserved <c>.invalid</c> domain. Default: <see cref="LocalDocumentsOptions.DefaultHostName"/>.
    /// </summary>
    public string DocumentsHostName { get; set; } = LocalDocumentsOptions.DefaultHostName;

    /// <summary>Gets or sets how many characters of each document are stored for snippets. Default: 20,000.</summary>
    public int MaxStoredCharacters { get; set; } = 20_000;

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is missing or invalid; the message names it.</exception>
    /// <exception cref="DirectoryNotFoundException">The documents folder does not exist.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DocumentsDirectory))
        {
            throw new OptionsValidationException(nameof(LocalIndexOptions), typeof(LocalIndexOptions), [$"{nameof(LocalIndexOptions)}.{nameof(DocumentsDirectory)} is required."]);
        }

        if (!Directory.Exists(DocumentsDirectory))
        {
            throw new DirectoryNotFoundException($"{nameof(LocalIndexOptions)}.{nameof(DocumentsDirectory)}: the folder '{DocumentsDirectory}' does not exist.");
        }

        LocalDocumentAddress.ValidateHostName(DocumentsHostName, $"{nameof(LocalIndexOptions)}.{nameof(DocumentsHostName)}");

        if (Extensions.Count == 0 || Extensions.Any(e => string.IsNullOrWhiteSpace(e) || e[0] != '.'))
        {
            throw new OptionsValidationException(nameof(LocalIndexOptions), typeof(LocalIndexOptions), [$"{nameof(LocalIndexOptions)}.{nameof(Extensions)} must hold at least one extension, each starting with a dot."]);
        }

        if (MaxFileBytes < 1)
        {
            throw new OptionsValidationException(nameof(LocalIndexOptions), typeof(LocalIndexOptions), [$"{nameof(LocalIndexOptions)}.{nameof(MaxFileBytes)} must be positive."]);
        }

        if (RefreshInterval < TimeSpan.Zero)
        {
            throw new OptionsValidationException(nameof(LocalIndexOptions), typeof(LocalIndexOptions), [$"{nameof(LocalIndexOptions)}.{nameof(RefreshInterval)} must not be negative."]);
        }

        if (MaxStoredCharacters < 100)
        {
            throw new OptionsValidationException(nameof(LocalIndexOptions), typeof(LocalIndexOptions), [$"{nameof(LocalIndexOptions)}.{nameof(MaxStoredCharacters)} must be at least 100."]);
        }
    }
}
