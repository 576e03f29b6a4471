using System.Text;

namespace Agents.LocalEngine.Chat;

/// <summary>ChatML as used by Qwen 2/2.5/3: tool results go back as a user turn of &lt;tool_response&gt; blocks.</summary>
internal sealed class ChatMlFormatter : TurnBasedFormatter
{
    public override string? EndOfTurnToken => "<|im_end|>";

    protected override void AppendTurn(StringBuilder sb, string role, string text) =>
        sb.Append("<|im_start|>").Append(role).Append('\n').Append(text).Append("<|im_end|>\n");

    protected override void AppendGenerationPrompt(StringBuilder sb) => sb.Append("<|im_start|>assistant\n");
}
