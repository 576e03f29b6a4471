namespace Agents.LocalEngine;

/// <summary>The ONNX Runtime execution provider the engine runs on.</summary>
public enum LocalExecutionProvider
{
    /// <summary>The CPU provider, always available (default).</summary>
    Cpu,

    /// <summary>The CUDA provider; needs the Microsoft.ML.OnnxRuntime.Gpu runtime package and an NVIDIA GPU.</summary>
    Cuda,
}
