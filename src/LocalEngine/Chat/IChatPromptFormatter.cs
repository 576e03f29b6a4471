using Microsoft.Extensions.AI;

namespace Agents.LocalEngine.Chat;

/// <summary>Turns a conversation (and the tools offered) into the prompt text a model was trained on.</summary>
public interface IChatPromptFormatter
{
    /// <summary>Gets the token that ends an assistant turn (for example <c>&lt;|im_end|&gt;</c>); generation stops on it. Null when none.</summary>
    string? EndOfTurnToken { get; }

    /// <summary>Formats the conversation, ending with the opening of the assistant's turn.</summary>
    /// <param name="messages">The conversation so far.</param>
    /// <param name="tools">The functions the model may call; empty when none.</param>
    /// <returns>The prompt text; special tokens appear as their text and are recognised by the tokenizer.</returns>
    string Format(IReadOnlyList<ChatMessage> messages, IReadOnlyList<AIFunctionDeclaration> tools);
}
