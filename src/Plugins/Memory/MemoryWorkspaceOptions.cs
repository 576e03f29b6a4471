using Microsoft.Extensions.Options;

namespace Agents.Plugins.Memory;

/// <summary>Options for a <see cref="MemoryWorkspace"/>, the folder an agent keeps its memory in.</summary>
public sealed class MemoryWorkspaceOptions
{
    /// <summary>Gets or sets the workspace root folder. Required; it is created when missing.</summary>
    public string RootPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the largest file, in UTF-8 bytes, that may be written or read. Default 1 MiB.</summary>
    public long MaxFileBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Gets or sets the file extensions (with the dot, case-insensitive) treated as notes: indexed for
    /// full-text search. Default <c>.md</c>, <c>.markdown</c>, <c>.txt</c>.
    /// </summary>
    public IList<string> NoteExtensions { get; } = new List<string> { ".md", ".markdown", ".txt" };

    /// <summary>Checks the options and throws when one is invalid.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RootPath))
        {
            throw new OptionsValidationException(nameof(MemoryWorkspaceOptions), typeof(MemoryWorkspaceOptions), [$"{nameof(MemoryWorkspaceOptions)}.{nameof(RootPath)} must name a folder."]);
        }

        if (MaxFileBytes <= 0)
        {
            throw new OptionsValidationException(nameof(MemoryWorkspaceOptions), typeof(MemoryWorkspaceOptions), [$"{nameof(MemoryWorkspaceOptions)}.{nameof(MaxFileBytes)} must be greater than 0 (was {MaxFileBytes})."]);
        }

        foreach (var extension in NoteExtensions)
        {
            if (string.IsNullOrEmpty(extension) || extension[0] != '.')
            {
                throw new OptionsValidationException(nameof(MemoryWorkspaceOptions), typeof(MemoryWorkspaceOptions), [$"{nameof(MemoryWorkspaceOptions)}.{nameof(NoteExtensions)} entries must start with '.' (was '{extension}')."]);
            }
        }
    }
}
