namespace Agents.Plugins.LocalDocuments;

/// <summary>
/// Options of the local documents virtual host (<see cref="LocalDocumentLinks"/>): the files of one folder, read-only,
/// served to the <c>browse</c> tool as <c>http://&lt;<see cref="HostName"/>&gt;/&lt;relative path&gt;</c>.
/// </summary>
public sealed class LocalDocumentsOptions : IValidatableObject
{
    /// <summary>The default <see cref="HostName"/>: a name under the reserved <c>.invalid</c> domain, which never reaches a network.</summary>
    public const string DefaultHostName = "local-documents.invalid";

    /// <summary>Gets or sets the folder whose files are served (recursively). Required; must exist.</summary>
    [Required(ErrorMessage = "{0} is required: give the folder of documents to serve.")]
    public string? RootDirectory { get; set; }

    /// <summary>
    /// Gets or sets the host name of local document addresses. Must be a DNS name under the reserved <c>.invalid</c>
    /// top-level domain (RFC 6761), so that an address of the virtual host can never reach a real server.
    /// Default: <see cref="DefaultHostName"/>.
    /// </summary>
    public string HostName { get; set; } = DefaultHostName;

    /// <summary>
    /// Gets the file extensions that are served; any other file is refused. Default: the extensions the local index
    /// reads: <c>.html</c>, <c>.htm</c>, <c>.md</c>, <c>.markdown</c>, <c>.txt</c>, <c>.pdf</c>.
    /// </summary>
    public ISet<string> Extensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".html", ".htm", ".md", ".markdown", ".txt", ".pdf" };

    /// <summary>Gets or sets the largest file that is served, in bytes. Default: 20 MiB.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "{0} must be positive.")]
    public long MaxDocumentBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// Gets or sets a value indicating whether an HTML file that declares an http(s) <c>&lt;link rel="canonical"&gt;</c>
    /// is linked to that web address instead of its local copy (for saved or generated web pages whose server is
    /// running). The web address is then read through the wrapped fetcher, with its security rules.
    /// Default: <see langword="false"/> (local files are always read from the folder).
    /// </summary>
    public bool UseCanonicalLinks { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="OptionsValidationException">An option is missing or invalid; the message names it and says how to fix it.</exception>
    /// <exception cref="DirectoryNotFoundException">The root folder does not exist.</exception>
    public void Validate()
    {
        OptionsValidation.ThrowIfFailed<LocalDocumentsOptions>(new LocalDocumentsOptionsValidator().Validate(null, this));
        LocalDocumentAddress.EnsureFolder(RootDirectory, $"{nameof(LocalDocumentsOptions)}.{nameof(RootDirectory)}");
    }

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext) =>
        LocalDocumentAddress.ValidateFolderOptions(validationContext, nameof(HostName), HostName, Extensions);
}
