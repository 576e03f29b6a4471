namespace Agents.LocalEngine;

/// <summary>Which ONNX file of an Optimum / transformers.js export folder to load.</summary>
public enum ModelVariant
{
    /// <summary><c>onnx/model.onnx</c> (full precision).</summary>
    Default,

    /// <summary><c>onnx/model_fp16.onnx</c>.</summary>
    Fp16,

    /// <summary><c>onnx/model_quantized.onnx</c> (8-bit).</summary>
    Quantized,
}
