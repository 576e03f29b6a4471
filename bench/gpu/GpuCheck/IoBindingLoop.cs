using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.GpuCheck;

/// <summary>
/// The raw baseline on the execution device: greedy decode with ONNX Runtime IOBinding, the KV cache bound as device
/// outputs and fed back as the next step's inputs (it never leaves the device), only the logits copied to the host.
/// </summary>
internal sealed class IoBindingLoop : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtMemoryInfo _device;
    private readonly int _layers;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly int _vocab;

    public IoBindingLoop(string modelPath, bool cuda)
    {
        using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (cuda)
        {
            // TF32 off: the same float32 arithmetic as the engine's session (exact tokens against the CPU).
            using var cudaOptions = new OrtCUDAProviderOptions();
            cudaOptions.UpdateOptions(new Dictionary<string, string>(StringComparer.Ordinal) { ["device_id"] = "0", ["use_tf32"] = "0" });
            so.AppendExecutionProvider_CUDA(cudaOptions);
            _device = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.Default);
        }
        else
        {
            _device = OrtMemoryInfo.DefaultInstance;
        }

        _session = new InferenceSession(modelPath, so);
        _layers = _session.InputMetadata.Keys.Count(k => k.StartsWith("past_key_values.", StringComparison.Ordinal) && k.EndsWith(".key", StringComparison.Ordinal));
        var dims = _session.InputMetadata["past_key_values.0.key"].Dimensions;
        _kvHeads = dims[1];
        _headDim = dims[3];
        _vocab = _session.OutputMetadata["logits"].Dimensions[2];
    }

    /// <summary>Prefills <paramref name="prompt"/>, then runs <paramref name="steps"/> decode steps; returns decode ms per step and the tokens.</summary>
    public (double MsPerStep, List<int> Tokens) Run(int[] prompt, int steps)
    {
        using var binding = _session.CreateIoBinding();
        using var runOptions = new RunOptions();
        var past = new List<OrtValue>();
        for (var l = 0; l < 2 * _layers; l++)
        {
            past.Add(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [1, _kvHeads, 0, _headDim]));
        }

        IDisposableReadOnlyCollection<OrtValue>? previous = null;
        var tokens = new List<int>();
        var ids = prompt.Select(x => (long)x).ToArray();
        var length = 0;
        var sw = new Stopwatch();
        for (var step = 0; step <= steps; step++)
        {
            if (step == 1)
            {
                sw.Start();
            }

            var seq = ids.Length;
            var mask = new long[length + seq];
            Array.Fill(mask, 1L);
            var positions = new long[seq];
            for (var i = 0; i < seq; i++)
            {
                positions[i] = length + i;
            }

            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, seq]);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, mask.Length]);
            using var posValue = OrtValue.CreateTensorValueFromMemory(positions, [1, seq]);
            binding.ClearBoundInputs();
            binding.ClearBoundOutputs();
            binding.BindInput("input_ids", idsValue);
            binding.BindInput("attention_mask", maskValue);
            binding.BindInput("position_ids", posValue);
            for (var l = 0; l < _layers; l++)
            {
                binding.BindInput($"past_key_values.{l}.key", past[2 * l]);
                binding.BindInput($"past_key_values.{l}.value", past[(2 * l) + 1]);
            }

            // Logits come back to the host; the new cache stays where the provider put it.
            binding.BindOutputToDevice("logits", OrtMemoryInfo.DefaultInstance);
            for (var l = 0; l < _layers; l++)
            {
                binding.BindOutputToDevice($"present.{l}.key", _device);
                binding.BindOutputToDevice($"present.{l}.value", _device);
            }

            _session.RunWithBinding(runOptions, binding);
            var results = binding.GetOutputValues();
            var logits = results[0].GetTensorDataAsSpan<float>().Slice((seq - 1) * _vocab, _vocab);
            var best = 0;
            for (var i = 1; i < logits.Length; i++)
            {
                if (logits[i] > logits[best])
                {
                    best = i;
                }
            }

            tokens.Add(best);
            if (previous is null)
            {
                past.ForEach(p => p.Dispose());
            }
            else
            {
                previous.Dispose();
            }

            previous = results;
            past = [.. results.Skip(1)];
            length += seq;
            ids = [best];
        }

        sw.Stop();
        previous?.Dispose();
        return (sw.Elapsed.TotalMilliseconds / steps, tokens);
    }

    public void Dispose()
    {
        _session.Dispose();
        if (!ReferenceEquals(_device, OrtMemoryInfo.DefaultInstance))
        {
            _device.Dispose();
        }
    }
}
