using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>The baseline: the least code that decodes greedily with ONNX Runtime (Optimum names, present fed back as past).</summary>
internal sealed class RawOrtLoop : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _layers;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly int _vocab;

    public RawOrtLoop(string modelPath, int intraOpThreads)
    {
        using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (intraOpThreads > 0)
        {
            so.IntraOpNumThreads = intraOpThreads;
        }

        _session = new InferenceSession(modelPath, so);
        _layers = _session.InputMetadata.Keys.Count(k => k.StartsWith("past_key_values.", StringComparison.Ordinal) && k.EndsWith(".key", StringComparison.Ordinal));
        var dims = _session.InputMetadata["past_key_values.0.key"].Dimensions;
        _kvHeads = dims[1];
        _headDim = dims[3];
        _vocab = _session.OutputMetadata["logits"].Dimensions[2];
    }

    /// <summary>Prefills <paramref name="prompt"/>, then runs <paramref name="steps"/> decode steps; returns the decode seconds and the tokens.</summary>
    public (double DecodeSeconds, List<int> Tokens) Run(int[] prompt, int steps)
    {
        var inputNames = new List<string> { "input_ids", "attention_mask", "position_ids" };
        var outputNames = new List<string> { "logits" };
        for (var l = 0; l < _layers; l++)
        {
            inputNames.Add($"past_key_values.{l}.key");
            inputNames.Add($"past_key_values.{l}.value");
            outputNames.Add($"present.{l}.key");
            outputNames.Add($"present.{l}.value");
        }

        var past = new List<OrtValue>();
        for (var l = 0; l < 2 * _layers; l++)
        {
            past.Add(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, [1, _kvHeads, 0, _headDim]));
        }

        IDisposableReadOnlyCollection<OrtValue>? previous = null;
        var tokens = new List<int>();
        var ids = prompt.Select(x => (long)x).ToArray();
        var length = 0;
        var sw = new System.Diagnostics.Stopwatch();
        using var runOptions = new RunOptions();
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
            var inputs = new List<OrtValue> { idsValue, maskValue, posValue };
            inputs.AddRange(past);
            var results = _session.Run(runOptions, inputNames, inputs, outputNames);
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
        return (sw.Elapsed.TotalSeconds, tokens);
    }

    public void Dispose() => _session.Dispose();
}
