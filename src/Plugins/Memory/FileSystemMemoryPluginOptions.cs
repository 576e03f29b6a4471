using System.ComponentModel.DataAnnotations;

namespace Agents.Plugins.Memory;

/// <summary>Options for a <see cref="FileSystemMemoryPlugin"/>.</summary>
public sealed class FileSystemMemoryPluginOptions
{
    /// <summary>Gets or sets whether every write function is refused. Default <see langword="false"/>. The source archive is always read-only.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// Gets the files (paths relative to the workspace root, case-insensitive) that the write functions refuse,
    /// for example files the host manages. They are protected as path prefixes too: nothing may be created below
    /// them (<c>budget_state.json/x.md</c> is refused), so they can never become folders. Empty by default.
    /// </summary>
    public ISet<string> ProtectedFiles { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the files (paths relative to the workspace root, case-insensitive) that the host writes itself and the model
    /// may edit too, for example logs: the write functions refuse any path below them, so that they can never become
    /// folders that break the host's own writes. Empty by default.
    /// </summary>
    public ISet<string> HostFiles { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the most lines one <c>read_file</c> call returns. Default 200.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be greater than 0.")]
    public int MaxReadLines { get; set; } = 200;

    /// <summary>Gets or sets the most characters one <c>read_file</c> call returns (about a page). Default 12,000.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be greater than 0.")]
    public int MaxReadChars { get; set; } = 12_000;

    /// <summary>Gets or sets the most entries one <c>list_files</c> call returns. Default 400.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be greater than 0.")]
    public int MaxListEntries { get; set; } = 400;

    /// <summary>Gets or sets the most matching lines one <c>grep</c> call returns. Default 100.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be greater than 0.")]
    public int MaxGrepMatches { get; set; } = 100;

    /// <summary>Gets or sets the time one regular-expression match may take before <c>grep</c> gives up. Default 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", OptionsValidation.MaxTimeSpan, MinimumIsExclusive = true, ErrorMessage = "{0} must be positive.")]
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the most hits one <c>search_notes</c> call returns. Default 20.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "{0} must be greater than 0.")]
    public int MaxSearchResults { get; set; } = 20;

    /// <summary>Checks the options and throws when one is invalid.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<FileSystemMemoryPluginOptions>(new FileSystemMemoryPluginOptionsValidator().Validate(null, this));
}
