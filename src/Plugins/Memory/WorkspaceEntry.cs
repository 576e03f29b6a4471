namespace Agents.Plugins.Memory;

/// <summary>The kind of a <see cref="WorkspaceEntry"/>.</summary>
internal enum WorkspaceEntryKind
{
    File,
    Folder,
    Link,
}

/// <summary>One line of a workspace listing.</summary>
internal readonly record struct WorkspaceEntry(string Path, int Depth, WorkspaceEntryKind Kind, long Bytes, int Lines, int ItemCount);
