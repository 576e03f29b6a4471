using System.Text;

namespace Agents.LocalEngine.Chat;

/// <summary>Gemma turns; Gemma has no system role (system text joins the first user turn) and calls the assistant "model".</summary>
internal sealed class GemmaFormatter : TurnBasedFormatter
{
    public override string? EndOfTurnToken => "<end_of_turn>";

    protected override bool HasSystemRole => false;

    protected override string Prefix => "<bos>";

    protected override void AppendTurn(StringBuilder sb, string role, string text) =>
        sb.Append("<start_of_turn>").Append(role == "assistant" ? "model" : role).Append('\n').Append(text.Trim()).Append("<end_of_turn>\n");

    protected override void AppendGenerationPrompt(StringBuilder sb) => sb.Append("<start_of_turn>model\n");
}
