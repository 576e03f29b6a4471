using Microsoft.Extensions.Options;

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
    public int MaxReadLines { get; set; } = 200;

    /// <summary>Gets or sets the most characters one <c>read_file</c> call returns (about a page). Default 12,000.</summary>
    public int MaxReadChars { get; set; } = 12_000;

    /// <summary>Gets or sets the most entries one <c>list_files</c> call returns. Default 400.</summary>
    public int MaxListEntries { get; set; } = 400;

    /// <summary>Gets or sets the most matching lines one <c>grep</c> call returns. Default 100.</summary>
    public int MaxGrepMatches { get; set; } = 100;

    /// <summary>Gets or sets the time one regular-expression match may take before <c>grep</c> gives up. Default 1 second.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the most hits one <c>search_notes</c> call returns. Default 20.</summary>
    public int MaxSearchResults { get; set; } = 20;

    /// <summary>Checks the options and throws when one is invalid.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        Positive(MaxReadLines, nameof(MaxReadLines));
        Positive(MaxReadChars, nameof(MaxReadChars));
        Positive(MaxListEntries, nameof(MaxListEntries));
        Positive(MaxGrepMatches, nameof(MaxGrepMatches));
        Positive(MaxSearchResults, nameof(MaxSearchResults));
        if (RegexTimeout <= TimeSpan.Zero)
        {
            throw new OptionsValidationException(nameof(FileSystemMemoryPluginOptions), typeof(FileSystemMemoryPluginOptions), [$"{nameof(FileSystemMemoryPluginOptions)}.{nameof(RegexTimeout)} must be positive (was {RegexTimeout})."]);
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new OptionsValidationException(nameof(FileSystemMemoryPluginOptions), typeof(FileSystemMemoryPluginOptions), [$"{nameof(FileSystemMemoryPluginOptions)}.{name} must be greater than 0 (was {value})."]);
        }
    }
}
