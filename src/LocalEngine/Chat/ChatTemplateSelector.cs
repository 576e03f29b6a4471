namespace Agents.LocalEngine.Chat;

/// <summary>Chooses a built-in format from the tokenizer's chat_template text, then the model type.</summary>
internal static class ChatTemplateSelector
{
    public static ChatTemplateFamily? Detect(string? chatTemplate, string modelType, Func<string, bool> hasToken)
    {
        if (chatTemplate is not null)
        {
            if (chatTemplate.Contains("<|im_start|>", StringComparison.Ordinal))
            {
                return ChatTemplateFamily.ChatMl;
            }

            if (chatTemplate.Contains("<|start_header_id|>", StringComparison.Ordinal))
            {
                return ChatTemplateFamily.Llama3;
            }

            if (chatTemplate.Contains("<start_of_turn>", StringComparison.Ordinal))
            {
                return ChatTemplateFamily.Gemma;
            }

            if (chatTemplate.Contains("<|end|>", StringComparison.Ordinal) || chatTemplate.Contains("<|assistant|>", StringComparison.Ordinal))
            {
                return ChatTemplateFamily.Phi3;
            }

            if (chatTemplate.Contains("[INST]", StringComparison.Ordinal))
            {
                return ChatTemplateFamily.Llama2;
            }
        }

        var type = modelType.ToUpperInvariant();
        if (type.StartsWith("QWEN", StringComparison.Ordinal))
        {
            return ChatTemplateFamily.ChatMl;
        }

        if (type.StartsWith("GEMMA", StringComparison.Ordinal))
        {
            return ChatTemplateFamily.Gemma;
        }

        if (type.StartsWith("PHI3", StringComparison.Ordinal))
        {
            return ChatTemplateFamily.Phi3;
        }

        if (type.StartsWith("MISTRAL", StringComparison.Ordinal))
        {
            return ChatTemplateFamily.Llama2;
        }

        if (type == "LLAMA" && hasToken("<|start_header_id|>"))
        {
            return ChatTemplateFamily.Llama3;
        }

        return hasToken("<|im_start|>") ? ChatTemplateFamily.ChatMl : null;
    }

    public static IChatPromptFormatter Create(ChatTemplateFamily family) => family switch
    {
        ChatTemplateFamily.ChatMl => new ChatMlFormatter(),
        ChatTemplateFamily.Llama3 => new Llama3Formatter(),
        ChatTemplateFamily.Phi3 => new Phi3Formatter(),
        ChatTemplateFamily.Gemma => new GemmaFormatter(),
        ChatTemplateFamily.Llama2 => new Llama2Formatter(),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Auto must be resolved before creating a formatter."),
    };
}
