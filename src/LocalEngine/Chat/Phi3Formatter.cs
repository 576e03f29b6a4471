using System.Text;

namespace Agents.LocalEngine.Chat;

/// <summary>Phi-3 turns (<c>&lt;|user|&gt;\n...&lt;|end|&gt;\n</c>).</summary>
internal sealed class Phi3Formatter : TurnBasedFormatter
{
    public override string? EndOfTurnToken => "<|end|>";

    protected override void AppendTurn(StringBuilder sb, string role, string text) =>
        sb.Append("<|").Append(role).Append("|>\n").Append(text).Append("<|end|>\n");

    protected override void AppendGenerationPrompt(StringBuilder sb) => sb.Append("<|assistant|>\n");
}
