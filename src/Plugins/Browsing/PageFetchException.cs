namespace Agents.Plugins.Browsing;

/// <summary>A page could not be read, or reading it was refused; the message is meant for the model.</summary>
public sealed class PageFetchException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public PageFetchException()
        : base("The page could not be read.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PageFetchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public PageFetchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
