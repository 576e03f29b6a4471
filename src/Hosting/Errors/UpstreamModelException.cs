namespace Agents.Hosting;

/// <summary>The upstream model failed; the message is generic and safe to show, the details are logged under <see cref="ErrorId"/>.</summary>
public sealed class UpstreamModelException : Exception
{
    /// <summary>Creates the exception for the details logged under <paramref name="errorId"/>.</summary>
    /// <param name="errorId">The id.</param>
    public UpstreamModelException(string errorId)
        : base(ErrorIds.ClientMessage("The model call", errorId))
    {
        ErrorId = errorId;
    }

    /// <summary>Gets the id the details were logged under.</summary>
    public string ErrorId { get; }
}
