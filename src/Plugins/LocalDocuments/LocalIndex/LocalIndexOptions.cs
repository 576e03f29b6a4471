using Agents.Plugins.LocalDocuments;

namespace Agents.Plugins.Search.Local;

/// <summary>Options of <see cref="LocalIndexSearchEngine"/>, an embedded Lucene.Net index over a folder.</summary>
public sealed class LocalIndexOptions : IValidatableObject
{
    /// <summary>Gets or sets the folder whose documents are indexed (recursively). Required; must exist.</summary>
    [Required(ErrorMessage = "{0} is required: give the folder of documents to index.")]
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
    [Range(1L, long.MaxValue, ErrorMessage = "{0} must be positive.")]
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// Gets or sets how old the last scan of the folder may be before a search rescans it for changed, new and
    /// deleted files (incremental reindex). <see cref="TimeSpan.Zero"/> rescans before every search.
    /// Default: 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", OptionsValidation.MaxTimeSpan, ErrorMessage = "{0} must not be negative.")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the host name of the addresses the hits carry: <c>http://&lt;host&gt;/&lt;path relative to the
    /// folder&gt;</c>, never a <c>file:</c> URL with the server's absolute path. A <see cref="LocalDocumentsPageFetcher"/>
    /// whose <see cref="LocalDocumentsOptions.HostName"/> is the same serves them to <c>browse</c>. Must be a name under
    /// the reserved <c>.invalid</c> domain. Default: <see cref="LocalDocumentsOptions.DefaultHostName"/>.
    /// </summary>
    public string DocumentsHostName { get; set; } = LocalDocumentsOptions.DefaultHostName;

    /// <summary>Gets or sets how many characters of each document are stored for snippets. Default: 20,000.</summary>
    [Range(100, int.MaxValue, ErrorMessage = "{0} must be at least 100.")]
    public int MaxStoredCharacters { get; set; } = 20_000;

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is missing or invalid; the message names it.</exception>
    /// <exception cref="DirectoryNotFoundException">The documents folder does not exist.</exception>
    public void Validate()
    {
        OptionsValidation.ThrowIfFailed<LocalIndexOptions>(new LocalIndexOptionsValidator().Validate(null, this));
        LocalDocumentAddress.EnsureFolder(DocumentsDirectory, $"{nameof(LocalIndexOptions)}.{nameof(DocumentsDirectory)}");
    }

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        LocalDocumentAddress.ValidateFolderOptions(validationContext, nameof(DocumentsHostName), DocumentsHostName, Extensions);
}
