namespace Agents.Plugins.Reading;

/// <summary>What one reading call gave: the reply's text, or the problem that kept it from giving one.</summary>
/// <param name="Text">The reply (for <c>summarize_page</c> and <c>answer_from_text</c>, marked as derived from untrusted text); null on a problem.</param>
/// <param name="Problem">Why there is no reply (bad input, a model failure, a budget that does not fit the call), as tool text; null on success.</param>
public readonly record struct ReadingReply(string? Text, string? Problem)
{
    /// <summary>Gets the text the tool returns: the reply, or the problem.</summary>
    public string ToolText => Text ?? Problem ?? string.Empty;

    internal static ReadingReply Failed(string problem) => new(null, problem);
}
