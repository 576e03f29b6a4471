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

    /// <summary>
    /// Gets a value indicating whether the URL was refused before anything was fetched (a forbidden address or
    /// scheme, a path outside the local documents): <c>BrowserPlugin</c> charges no budget for such a URL.
    /// </summary>
    public bool RefusedBeforeFetch { get; private init; }

    /// <summary>Creates the exception for a URL refused before anything was fetched (see <see cref="RefusedBeforeFetch"/>).</summary>
    /// <param name="message">Why it was refused, in words the model can act on.</param>
    /// <returns>The exception.</returns>
    public static PageFetchException Refusal(string message) => new(message) { RefusedBeforeFetch = true };

    /// <summary>Creates the exception for a URL refused before anything was fetched, with the underlying error.</summary>
    /// <param name="message">Why it was refused, in words the model can act on.</param>
    /// <param name="innerException">The underlying error.</param>
    /// <returns>The exception.</returns>
    public static PageFetchException Refusal(string message, Exception? innerException) => new(message, innerException) { RefusedBeforeFetch = true };
}
