namespace Agents.Samples.Shared.Hosting;

/// <summary>The upstream model failed; the message is generic and safe to show, the details are logged under <see cref="ErrorId"/>.</summary>
internal sealed class UpstreamModelException : Exception
{
    public UpstreamModelException(string errorId)
        : base(ErrorIds.ClientMessage("The model call", errorId))
    {
        ErrorId = errorId;
    }

    /// <summary>Gets the id the details were logged under.</summary>
    public string ErrorId { get; }
}
