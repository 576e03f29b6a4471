namespace Agents.LocalEngine.Loading;

/// <summary>The folder layouts the engine can load.</summary>
internal enum ModelLayout
{
    /// <summary>Hugging Face Optimum / transformers.js export: config.json and onnx/model*.onnx.</summary>
    Optimum,

    /// <summary>onnxruntime-genai export: genai_config.json naming the decoder file and its inputs/outputs.</summary>
    GenAi,
}
