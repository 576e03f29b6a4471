namespace Agents.LocalEngine.Chat;

/// <summary>While streaming, decides how much of the text so far is plain text: everything before a (possibly still partial) <c>&lt;tool_call&gt;</c>.</summary>
internal static class ToolCallStreamGate
{
    public static int SafeLength(string text)
    {
        var at = text.IndexOf(ToolPrompt.CallOpen, StringComparison.Ordinal);
        if (at >= 0)
        {
            return at;
        }

        var open = ToolPrompt.CallOpen;
        for (var k = Math.Min(open.Length - 1, text.Length); k > 0; k--)
        {
            if (text.AsSpan(text.Length - k).SequenceEqual(open.AsSpan(0, k)))
            {
                return text.Length - k;
            }
        }

        return text.Length;
    }
}
