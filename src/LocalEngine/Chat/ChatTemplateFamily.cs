namespace Agents.LocalEngine.Chat;

/// <summary>The built-in chat prompt formats.</summary>
public enum ChatTemplateFamily
{
    /// <summary>Choose from the model's tokenizer_config.json chat_template, then its model type.</summary>
    Auto,

    /// <summary>ChatML (<c>&lt;|im_start|&gt;role ... &lt;|im_end|&gt;</c>), used by Qwen.</summary>
    ChatMl,

    /// <summary>Llama 3 (<c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt; ... &lt;|eot_id|&gt;</c>).</summary>
    Llama3,

    /// <summary>Phi-3 (<c>&lt;|user|&gt; ... &lt;|end|&gt;</c>).</summary>
    Phi3,

    /// <summary>Gemma (<c>&lt;start_of_turn&gt;user ... &lt;end_of_turn&gt;</c>).</summary>
    Gemma,

    /// <summary>Llama 2 and Mistral instructions (<c>&lt;s&gt;[INST] ... [/INST] ... &lt;/s&gt;</c>).</summary>
    Llama2,
}
