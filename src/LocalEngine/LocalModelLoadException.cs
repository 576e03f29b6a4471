namespace Agents.LocalEngine;

/// <summary>A model folder could not be loaded; <see cref="FilePath"/> names the file at fault.</summary>
public sealed class LocalModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocalModelLoadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public LocalModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LocalModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming a file.</summary>
    /// <param name="filePath">The file at fault.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public LocalModelLoadException(string filePath, string message, Exception? innerException)
        : base($"{filePath}: {message}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>Gets the file at fault, when one is known.</summary>
    public string? FilePath { get; }
}
