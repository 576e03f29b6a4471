using System.Text;

namespace Agents.LocalEngine.Chat;

/// <summary>
/// Llama 2 / Mistral instruction turns: <c>&lt;s&gt;[INST] user [/INST] answer &lt;/s&gt;</c>, the system text in a
/// <c>&lt;&lt;SYS&gt;&gt;</c> block inside the first instruction.
/// </summary>
internal sealed class Llama2Formatter : TurnBasedFormatter
{
    private const string SystemEnd = "\n<</SYS>>\n\n";

    public override string? EndOfTurnToken => "</s>";

    protected override void AppendTurn(StringBuilder sb, string role, string text)
    {
        switch (role)
        {
            case "system":
                sb.Append("<s>[INST] <<SYS>>\n").Append(text.Trim()).Append(SystemEnd);
                break;
            case "assistant":
                sb.Append(' ').Append(text.Trim()).Append(" </s>");
                break;
            default:
                // The first user turn after a system block continues its [INST].
                if (!EndsWith(sb, SystemEnd))
                {
                    sb.Append("<s>[INST] ");
                }

                sb.Append(text.Trim()).Append(" [/INST]");
                break;
        }
    }

    // The last user turn already ends with [/INST]: the answer follows directly.
    protected override void AppendGenerationPrompt(StringBuilder sb)
    {
    }

    private static bool EndsWith(StringBuilder sb, string suffix)
    {
        if (sb.Length < suffix.Length)
        {
            return false;
        }

        for (var i = 0; i < suffix.Length; i++)
        {
            if (sb[sb.Length - suffix.Length + i] != suffix[i])
            {
                return false;
            }
        }

        return true;
    }
}
