using System.Text;

namespace Agents.LocalEngine.Chat;

/// <summary>Llama 3 headers; tool results go back under the ipython role.</summary>
internal sealed class Llama3Formatter : TurnBasedFormatter
{
    public override string? EndOfTurnToken => "<|eot_id|>";

    protected override string Prefix => "<|begin_of_text|>";

    protected override string ToolRole => "ipython";

    protected override void AppendTurn(StringBuilder sb, string role, string text) =>
        sb.Append("<|start_header_id|>").Append(role).Append("<|end_header_id|>\n\n").Append(text.Trim()).Append("<|eot_id|>");

    protected override void AppendGenerationPrompt(StringBuilder sb) => sb.Append("<|start_header_id|>assistant<|end_header_id|>\n\n");
}
