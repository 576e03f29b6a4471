using System.ComponentModel.DataAnnotations;

namespace Agents.Plugins.Memory;

/// <summary>Options for a <see cref="MemoryWorkspace"/>, the folder an agent keeps its memory in.</summary>
public sealed class MemoryWorkspaceOptions : IValidatableObject
{
    /// <summary>Gets or sets the workspace root folder. Required; it is created when missing.</summary>
    [Required(ErrorMessage = "{0} must name a folder.")]
    public string RootPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the largest file, in UTF-8 bytes, that may be written or read. Default 1 MiB.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "{0} must be greater than 0.")]
    public long MaxFileBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Gets or sets the file extensions (with the dot, case-insensitive) treated as notes: indexed for
    /// full-text search. Default <c>.md</c>, <c>.markdown</c>, <c>.txt</c>.
    /// </summary>
    public IList<string> NoteExtensions { get; } = new List<string> { ".md", ".markdown", ".txt" };

    /// <summary>Checks the options and throws when one is invalid.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public void Validate() => OptionsValidation.ThrowIfFailed<MemoryWorkspaceOptions>(new MemoryWorkspaceOptionsValidator().Validate(null, this));

    /// <inheritdoc/>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        if (!OptionsValidation.AreExtensions(NoteExtensions, requireOne: false))
        {
            yield return new ValidationResult($"{OptionsValidation.OwnerName(validationContext)}.{nameof(NoteExtensions)} entries must start with '.' (for example \".md\").", [nameof(NoteExtensions)]);
        }
    }
}
