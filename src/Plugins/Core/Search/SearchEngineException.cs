namespace Agents.Plugins.Search;

/// <summary>A search engine failed to answer a query (after retries where they apply).</summary>
public sealed class SearchEngineException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public SearchEngineException()
        : this("The search engine failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public SearchEngineException(string message)
        : base(message)
    {
        Engine = string.Empty;
    }

    /// <summary>Creates an exception with a message and the underlying error.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public SearchEngineException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Engine = string.Empty;
    }

    /// <summary>Creates an exception for an engine.</summary>
    /// <param name="engine">The engine name.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">The HTTP status the engine answered with, when there was one.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public SearchEngineException(string engine, string message, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        Engine = engine;
        StatusCode = statusCode;
    }

    /// <summary>Gets the engine that failed.</summary>
    public string Engine { get; }

    /// <summary>Gets the HTTP status the engine answered with, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }
}
