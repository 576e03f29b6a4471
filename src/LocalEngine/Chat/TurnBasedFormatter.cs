using System.Text;
using Microsoft.Extensions.AI;

namespace Agents.LocalEngine.Chat;

/// <summary>Shared shape of the built-in formats: a system turn (with the tools block), then user/assistant/tool turns.</summary>
internal abstract class TurnBasedFormatter : IChatPromptFormatter
{
    public abstract string? EndOfTurnToken { get; }

    /// <summary>Gets a value indicating whether the format has a system role; when not, the system text joins the first user turn.</summary>
    protected virtual bool HasSystemRole => true;

    /// <summary>Gets the text that opens the prompt (for example a BOS token).</summary>
    protected virtual string Prefix => string.Empty;

    public string Format(IReadOnlyList<ChatMessage> messages, IReadOnlyList<AIFunctionDeclaration> tools)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(tools);
        var sb = new StringBuilder(Prefix);
        var system = new StringBuilder();
        foreach (var m in messages.Where(m => m.Role == ChatRole.System))
        {
            if (system.Length > 0)
            {
                system.Append('\n');
            }

            system.Append(ToolPrompt.MessageText(m));
        }

        if (tools.Count > 0)
        {
            if (system.Length > 0)
            {
                system.Append("\n\n");
            }

            system.Append(ToolPrompt.RenderTools(tools));
        }

        var pendingSystem = system.ToString();
        if (HasSystemRole && pendingSystem.Length > 0)
        {
            AppendTurn(sb, "system", pendingSystem);
            pendingSystem = string.Empty;
        }

        var toolResults = new StringBuilder();
        foreach (var m in messages)
        {
            if (m.Role == ChatRole.System)
            {
                continue;
            }

            if (m.Role == ChatRole.Tool)
            {
                if (toolResults.Length > 0)
                {
                    toolResults.Append('\n');
                }

                toolResults.Append(ToolPrompt.MessageText(m));
                continue;
            }

            FlushToolResults(sb, toolResults);
            var text = ToolPrompt.MessageText(m);
            if (m.Role == ChatRole.User && pendingSystem.Length > 0)
            {
                text = pendingSystem + "\n\n" + text;
                pendingSystem = string.Empty;
            }

            AppendTurn(sb, m.Role == ChatRole.Assistant ? "assistant" : "user", text);
        }

        FlushToolResults(sb, toolResults);
        if (pendingSystem.Length > 0)
        {
            AppendTurn(sb, "user", pendingSystem);
        }

        AppendGenerationPrompt(sb);
        return sb.ToString();
    }

    private void FlushToolResults(StringBuilder sb, StringBuilder toolResults)
    {
        if (toolResults.Length > 0)
        {
            AppendTurn(sb, ToolRole, toolResults.ToString());
            toolResults.Clear();
        }
    }

    /// <summary>Gets the role tool results are rendered under.</summary>
    protected virtual string ToolRole => "user";

    /// <summary>Appends one turn; <paramref name="role"/> is system, user, assistant or <see cref="ToolRole"/>.</summary>
    protected abstract void AppendTurn(StringBuilder sb, string role, string text);

    /// <summary>Appends the opening of the assistant's turn.</summary>
    protected abstract void AppendGenerationPrompt(StringBuilder sb);
}
