namespace Agents.Plugins.Memory;

/// <summary>
/// Thrown by <see cref="MemoryWorkspace"/> when a path or an operation is refused (escape attempts, the read-only
/// source archive, size limits, missing files). The message is written for the model and names the fix.
/// </summary>
public sealed class WorkspaceAccessException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkspaceAccessException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was refused and why.</param>
    public WorkspaceAccessException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error.</summary>
    /// <param name="message">What was refused and why.</param>
    /// <param name="innerException">The underlying error.</param>
    public WorkspaceAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
