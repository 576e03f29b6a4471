using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using Agents.LocalEngine.Loading;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.Runtime;

/// <summary>
/// One ONNX Runtime session over a decoder with KV cache inputs/outputs. Names and shapes come from the session's
/// metadata (checked against the folder's configuration); nothing is assumed.
/// </summary>
internal sealed class DecoderSession : IDisposable
{
    private const string CudaProviderName = "CUDAExecutionProvider";

    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private readonly string[] _outputNames;
    private readonly int _inputIdsIndex;
    private readonly int _maskIndex = -1;
    private readonly int _positionIndex = -1;
    private readonly int _useCacheBranchIndex = -1;
    private readonly int _firstPastIndex;
    private long[] _ids = new long[64];
    private long[] _mask = new long[256];
    private long[] _positions = new long[64];
    private readonly bool[] _useCacheBranch = new bool[1];

    public DecoderSession(ModelDescriptor model, LocalOnnxEngineOptions options)
    {
        Model = model;
        using var sessionOptions = CreateSessionOptions(options, model);
        try
        {
            _session = new InferenceSession(model.ModelPath, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new LocalModelLoadException(model.ModelPath, $"ONNX Runtime could not load the model ({ex.Message}).", ex);
        }

        try
        {
            var inputs = _session.InputMetadata;
            var outputs = _session.OutputMetadata;
            var names = model.GenAiNames;
            string Require(IReadOnlyDictionary<string, NodeMetadata> meta, string name, string what)
            {
                if (!meta.ContainsKey(name))
                {
                    var file = names is null ? model.ModelPath : model.ConfigPath;
                    throw new LocalModelLoadException(file,
                        $"the model has no {what} named '{name}' (it has: {string.Join(", ", meta.Keys)}).", null);
                }

                return name;
            }

            var inputIds = Require(inputs, names?.InputIds ?? "input_ids", "input");
            var mask = names is null ? (inputs.ContainsKey("attention_mask") ? "attention_mask" : null) : names.AttentionMask;
            if (mask is not null)
            {
                Require(inputs, mask, "input");
            }

            var positions = names?.PositionIds ?? "position_ids";
            var hasPositions = inputs.ContainsKey(positions);
            if (names?.PositionIds is not null && !hasPositions)
            {
                Require(inputs, positions, "input");
            }

            var logits = Require(outputs, names?.Logits ?? "logits", "output");

            // Layers: genai patterns, or the Optimum names discovered from the metadata.
            string pastKeyPattern, pastValuePattern, presentKeyPattern, presentValuePattern;
            if (names is not null)
            {
                (pastKeyPattern, pastValuePattern, presentKeyPattern, presentValuePattern) = (names.PastKey, names.PastValue, names.PresentKey, names.PresentValue);
            }
            else
            {
                pastKeyPattern = "past_key_values.%d.key";
                pastValuePattern = "past_key_values.%d.value";
                presentKeyPattern = outputs.ContainsKey("present.0.key") ? "present.%d.key" : "present_key_values.%d.key";
                presentValuePattern = outputs.ContainsKey("present.0.value") ? "present.%d.value" : "present_key_values.%d.value";
            }

            var layers = 0;
            while (inputs.ContainsKey(ModelFolderReader.Format(pastKeyPattern, layers)))
            {
                layers++;
            }

            if (layers == 0)
            {
                throw new LocalModelLoadException(names is null ? model.ModelPath : model.ConfigPath,
                    $"the model has no KV cache input '{ModelFolderReader.Format(pastKeyPattern, 0)}'; only decoders exported with past key/values are supported.", null);
            }

            if (model.NumLayers is { } configured && configured != layers)
            {
                throw new LocalModelLoadException(model.ConfigPath, $"num_hidden_layers is {configured} but the ONNX model has {layers} layers of KV cache inputs.", null);
            }

            Layers = layers;
            var pastMeta = inputs[ModelFolderReader.Format(pastKeyPattern, 0)];
            CacheType = pastMeta.ElementDataType;
            var dims = pastMeta.Dimensions;
            if (dims.Length != 4)
            {
                throw new LocalModelLoadException(model.ModelPath, $"KV cache input '{ModelFolderReader.Format(pastKeyPattern, 0)}' has rank {dims.Length}; expected [batch, kv_heads, past, head_dim].", null);
            }

            KvHeads = dims[1] > 0 ? dims[1] : model.NumKvHeads ?? throw new LocalModelLoadException(model.ConfigPath, "num_key_value_heads is missing and the model does not fix it.", null);
            HeadDim = dims[3] > 0 ? dims[3] : model.HeadDim ?? throw new LocalModelLoadException(model.ConfigPath, "head_dim is missing and the model does not fix it.", null);
            var logitDims = outputs[logits].Dimensions;
            VocabSize = logitDims.Length == 3 && logitDims[2] > 0 ? logitDims[2] : model.VocabSize ?? throw new LocalModelLoadException(model.ConfigPath, "vocab_size is missing and the model does not fix it.", null);
            LogitsType = outputs[logits].ElementDataType;

            var inputNames = new List<string> { inputIds };
            _inputIdsIndex = 0;
            if (mask is not null)
            {
                _maskIndex = inputNames.Count;
                inputNames.Add(mask);
            }

            if (hasPositions)
            {
                _positionIndex = inputNames.Count;
                inputNames.Add(positions);
            }

            if (inputs.ContainsKey("use_cache_branch"))
            {
                _useCacheBranchIndex = inputNames.Count;
                inputNames.Add("use_cache_branch");
            }

            _firstPastIndex = inputNames.Count;
            var outputNames = new List<string> { logits };
            for (var l = 0; l < layers; l++)
            {
                inputNames.Add(Require(inputs, ModelFolderReader.Format(pastKeyPattern, l), "input"));
                inputNames.Add(Require(inputs, ModelFolderReader.Format(pastValuePattern, l), "input"));
                outputNames.Add(Require(outputs, ModelFolderReader.Format(presentKeyPattern, l), "output"));
                outputNames.Add(Require(outputs, ModelFolderReader.Format(presentValuePattern, l), "output"));
            }

            var unknown = inputs.Keys.Where(k => !inputNames.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                throw new LocalModelLoadException(model.ModelPath, $"the model has inputs this engine does not know how to feed: {string.Join(", ", unknown)}.", null);
            }

            _inputNames = [.. inputNames];
            _outputNames = [.. outputNames];
            _inputValues = new OrtValue[_inputNames.Length];
            _outputValues = new OrtValue[_outputNames.Length];
            HasPositionIds = hasPositions;
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public ModelDescriptor Model { get; }

    public int Layers { get; }

    public int KvHeads { get; }

    public int HeadDim { get; }

    public int VocabSize { get; }

    public bool HasPositionIds { get; }

    /// <summary>Gets a value indicating whether the model takes an attention mask (without one, rows of different lengths cannot share a step).</summary>
    public bool HasAttentionMask => _maskIndex >= 0;

    public TensorElementType CacheType { get; }

    public TensorElementType LogitsType { get; }

    public IReadOnlyList<string> InputNames => _inputNames;

    public KvCache CreateCache(int batch) => Model.PastPresentShareBuffer
        ? KvCache.Shared(Layers, batch, KvHeads, Model.ContextLength, HeadDim, CacheType)
        : KvCache.Empty(Layers, batch, KvHeads, HeadDim, CacheType);

    /// <summary>
    /// Runs <paramref name="seq"/> new tokens per row (<paramref name="ids"/> is [batch, seq]) after the cached positions,
    /// then makes the present tensors the cache. Writes the last position's logits of each row to <paramref name="lastLogits"/>
    /// ([batch, vocab]) and, when given, all positions' logits to <paramref name="allLogits"/>.
    /// On failure or cancellation the cache is left as it was.
    /// </summary>
    /// <remarks>
    /// <paramref name="padding"/> (one per row, or empty for none) gives how many of the cache's positions a row does not use:
    /// a growing cache's rows are right-aligned (the unused positions come first), a shared buffer's rows start at 0 (the unused
    /// positions come last, where GroupQueryAttention writes the row's next position). The attention mask leaves them out and
    /// each row's positions continue from its own length, so rows of different lengths share one run.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<int> ids, int seq, KvCache cache, RunOptions runOptions, Span<float> lastLogits, float[]? allLogits = null, ReadOnlySpan<int> padding = default)
    {
        var batch = cache.Batch;
        var past = cache.Length;
        var total = past + seq;
        EnsureCapacity(ref _ids, batch * seq);
        EnsureCapacity(ref _positions, batch * seq);
        EnsureCapacity(ref _mask, batch * total);
        for (var b = 0; b < batch; b++)
        {
            var pad = padding.IsEmpty ? 0 : padding[b];
            for (var i = 0; i < seq; i++)
            {
                _ids[(b * seq) + i] = ids[(b * seq) + i];
                _positions[(b * seq) + i] = past - pad + i;
            }

            var mask = _mask.AsSpan(b * total, total);
            mask.Fill(1);
            if (pad > 0)
            {
                // Unused positions: before the row's own (growing cache) or after them, before the new tokens (shared buffer).
                mask.Slice(cache.IsShared ? past - pad : 0, pad).Clear();
            }
        }

        var memInfo = OrtMemoryInfo.DefaultInstance;
        try
        {
            _inputValues[_inputIdsIndex] = OrtValue.CreateTensorValueFromMemory(memInfo, _ids.AsMemory(0, batch * seq), [batch, seq]);
            if (_maskIndex >= 0)
            {
                _inputValues[_maskIndex] = OrtValue.CreateTensorValueFromMemory(memInfo, _mask.AsMemory(0, batch * total), [batch, total]);
            }

            if (_positionIndex >= 0)
            {
                _inputValues[_positionIndex] = OrtValue.CreateTensorValueFromMemory(memInfo, _positions.AsMemory(0, batch * seq), [batch, seq]);
            }

            if (_useCacheBranchIndex >= 0)
            {
                _useCacheBranch[0] = past > 0;
                _inputValues[_useCacheBranchIndex] = OrtValue.CreateTensorValueFromMemory(memInfo, _useCacheBranch.AsMemory(), [1]);
            }

            for (var l = 0; l < Layers; l++)
            {
                _inputValues[_firstPastIndex + (2 * l)] = cache.Keys[l];
                _inputValues[_firstPastIndex + (2 * l) + 1] = cache.Values[l];
            }

            if (cache.IsShared)
            {
                RunShared(runOptions, cache, batch, seq, total, lastLogits, allLogits);
                return;
            }

            var results = _session.Run(runOptions, _inputNames, _inputValues, _outputNames);
            try
            {
                CopyLogits(((IReadOnlyList<OrtValue>)results)[0], batch, seq, lastLogits, allLogits);
            }
            catch
            {
                results.Dispose();
                throw;
            }

            cache.Adopt(results, 1, total);
        }
        finally
        {
            // Inputs we created (not the cache's tensors) are released; Array.Clear keeps no stale references.
            _inputValues[_inputIdsIndex]?.Dispose();
            if (_maskIndex >= 0)
            {
                _inputValues[_maskIndex]?.Dispose();
            }

            if (_positionIndex >= 0)
            {
                _inputValues[_positionIndex]?.Dispose();
            }

            if (_useCacheBranchIndex >= 0)
            {
                _inputValues[_useCacheBranchIndex]?.Dispose();
            }

            Array.Clear(_inputValues);
        }
    }

    /// <summary>past_present_share_buffer: the model writes the new positions into the past buffers, bound as its present outputs.</summary>
    private void RunShared(RunOptions runOptions, KvCache cache, int batch, int seq, int total, Span<float> lastLogits, float[]? allLogits)
    {
        if (total > cache.Capacity)
        {
            throw new InvalidOperationException($"The KV buffer holds {cache.Capacity} positions; {total} were needed.");
        }

        using var logits = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, LogitsType, [batch, seq, VocabSize]);
        _outputValues[0] = logits;
        for (var l = 0; l < Layers; l++)
        {
            _outputValues[1 + (2 * l)] = cache.Keys[l];
            _outputValues[2 + (2 * l)] = cache.Values[l];
        }

        try
        {
            _session.Run(runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
            CopyLogits(logits, batch, seq, lastLogits, allLogits);
            cache.Advance(total);
        }
        finally
        {
            Array.Clear(_outputValues);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CopyLogits(OrtValue logits, int batch, int seq, Span<float> last, float[]? all)
    {
        var v = VocabSize;
        if (LogitsType == TensorElementType.Float)
        {
            var data = logits.GetTensorDataAsSpan<float>();

            // Some exports return only the last position's logits: take the positions actually returned.
            seq = data.Length / (batch * v);
            for (var b = 0; b < batch; b++)
            {
                data.Slice((((b * seq) + seq - 1) * v), v).CopyTo(last.Slice(b * v, v));
            }

            if (all is not null)
            {
                data.CopyTo(all.AsSpan(0, data.Length));
            }
        }
        else if (LogitsType == TensorElementType.Float16)
        {
            var data = logits.GetTensorDataAsSpan<Float16>();
            seq = data.Length / (batch * v);
            for (var b = 0; b < batch; b++)
            {
                var row = data.Slice((((b * seq) + seq - 1) * v), v);
                for (var i = 0; i < v; i++)
                {
                    last[(b * v) + i] = (float)row[i];
                }
            }

            if (all is not null)
            {
                for (var i = 0; i < data.Length; i++)
                {
                    all[i] = (float)data[i];
                }
            }
        }
        else
        {
            throw new LocalModelLoadException(Model.ModelPath, $"logits of type {LogitsType} are not supported (float or float16).", null);
        }
    }

    private static void EnsureCapacity(ref long[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = new long[Math.Max(size, buffer.Length * 2)];
        }
    }

    internal static SessionOptions CreateSessionOptions(LocalOnnxEngineOptions options, ModelDescriptor model)
    {
        var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        try
        {
            // Threads and spinning for a shared CPU (see LocalOnnxEngineOptions.IntraOpNumThreads and IntraOpSpinning).
            so.IntraOpNumThreads = options.EffectiveIntraOpNumThreads;
            so.AddSessionConfigEntry("session.intra_op.allow_spinning", options.IntraOpSpinning ? "1" : "0");
            foreach (var (key, value) in options.SessionConfigEntries)
            {
                so.AddSessionConfigEntry(key, value);
            }

            if (options.ExecutionProvider == LocalExecutionProvider.Cuda)
            {
                var available = OrtEnv.Instance().GetAvailableProviders();
                if (!available.Contains(CudaProviderName, StringComparer.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"{nameof(LocalOnnxEngineOptions)}.{nameof(LocalOnnxEngineOptions.ExecutionProvider)} = Cuda, but the installed ONNX Runtime has no {CudaProviderName} " +
                        $"(available: {string.Join(", ", available)}). Install the Microsoft.ML.OnnxRuntime.Gpu package instead of Microsoft.ML.OnnxRuntime, or use the CPU provider.");
                }

                using var cuda = new OrtCUDAProviderOptions();
                var providerOptions = new Dictionary<string, string>(options.ProviderOptions, StringComparer.Ordinal)
                {
                    ["device_id"] = options.DeviceId.ToString(CultureInfo.InvariantCulture),
                };
                cuda.UpdateOptions(providerOptions);
                so.AppendExecutionProvider_CUDA(cuda);
            }

            return so;
        }
        catch (OnnxRuntimeException ex)
        {
            so.Dispose();
            throw new InvalidOperationException($"{model.ModelPath}: the {CudaProviderName} could not be initialised ({ex.Message}).", ex);
        }
        catch
        {
            so.Dispose();
            throw;
        }
    }

    public void Dispose() => _session.Dispose();
}
