using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private readonly DeviceMemory _memory;
    private readonly OrtIoBinding _binding;

    // The model's input and output names and the tensor each was last bound to (a tensor bound as it was is not bound again).
    private readonly string[] _inputNames;
    private readonly OrtValue?[] _boundInputs;
    private readonly OrtValue?[] _boundOutputs;
    private readonly string[] _outputNames;
    private readonly int _inputIdsIndex;
    private readonly int _maskIndex = -1;
    private readonly int _positionIndex = -1;
    private readonly int _useCacheBranchIndex = -1;
    private readonly int _firstPastIndex;
    private long[] _ids = GC.AllocateArray<long>(64, pinned: true);
    private long[] _mask = GC.AllocateArray<long>(256, pinned: true);
    private long[] _positions = GC.AllocateArray<long>(64, pinned: true);
    private readonly bool[] _useCacheBranch = GC.AllocateArray<bool>(1, pinned: true);
    private readonly OrtValue _useCacheBranchView;
    private HostTensor? _idsView;
    private HostTensor? _maskView;
    private HostTensor? _positionsView;
    private DeviceBuffer? _logitsBuffer;
    private OrtValue? _logitsView;
    private int _logitsViewBatch;
    private byte[] _hostLogits = [];

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
            _boundInputs = new OrtValue?[_inputNames.Length];
            _boundOutputs = new OrtValue?[_outputNames.Length];
            HasPositionIds = hasPositions;
            _useCacheBranchView = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _useCacheBranch.AsMemory(), [1]);
            _memory = DeviceMemory.For(_session, options.ExecutionProvider, options.DeviceId);
            _binding = _session.CreateIoBinding();
        }
        catch
        {
            _useCacheBranchView?.Dispose();
            _memory?.Dispose();
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Gets the memory of the execution provider: the KV caches and the logits buffer live there.</summary>
    public DeviceMemory Memory => _memory;

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
        ? KvCache.Shared(Layers, batch, KvHeads, Model.ContextLength, HeadDim, CacheType, _memory)
        : KvCache.Empty(Layers, batch, KvHeads, HeadDim, CacheType, _memory);

    /// <summary>
    /// Runs <paramref name="seq"/> new tokens per row (<paramref name="ids"/> is [batch, seq]) after the cached positions,
    /// then makes the present tensors the cache. Writes the last position's logits of each row to <paramref name="lastLogits"/>
    /// ([batch, vocab]) and, when given, all positions' logits to <paramref name="allLogits"/>.
    /// On failure or cancellation the cache is left as it was.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <paramref name="padding"/> (one per row, or empty for none) gives how many of the cache's positions a row does not use:
    /// a growing cache's rows are right-aligned (the unused positions come first), a shared buffer's rows start at 0 (the unused
    /// positions come last, where GroupQueryAttention writes the row's next position). The attention mask leaves them out and
    /// each row's positions continue from its own length, so rows of different lengths share one run. A prefill of several
    /// prompts into an empty growing cache pads them on the left the same way (<paramref name="ids"/> holds the padding first).
    /// </para>
    /// <para>
    /// Inputs and outputs go through one <see cref="OrtIoBinding"/>, reused across runs, on the provider's memory
    /// (<see cref="Memory"/>): the KV tensors are the cache's device buffers (a shared buffer is bound as past and present; a
    /// growing cache's present outputs are bound to its spare buffers), a decode step's logits go to a preallocated device
    /// buffer and only those [batch, vocab] values come back to the host. Ids, positions and the mask are written into pinned
    /// host buffers and bound each run (the binding copies them to the device when the provider is not the CPU). A binding
    /// whose tensor did not change is not bound again.
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<int> ids, int seq, KvCache cache, RunOptions runOptions, Span<float> lastLogits, float[]? allLogits = null, ReadOnlySpan<int> padding = default)
    {
        var batch = cache.Batch;
        var past = cache.Length;
        var total = past + seq;
        if (cache.IsShared && total > cache.Capacity)
        {
            throw new InvalidOperationException($"The KV buffer holds {cache.Capacity} positions; {total} were needed.");
        }

        EnsurePinned(ref _ids, batch * seq);
        EnsurePinned(ref _positions, batch * seq);
        EnsurePinned(ref _mask, batch * total);
        for (var b = 0; b < batch; b++)
        {
            var pad = padding.IsEmpty ? 0 : padding[b];
            for (var i = 0; i < seq; i++)
            {
                _ids[(b * seq) + i] = ids[(b * seq) + i];
                // A left-padded prompt's padding (a batched prefill) gets position 0; the mask leaves it out.
                _positions[(b * seq) + i] = Math.Max(0, past - pad + i);
            }

            var mask = _mask.AsSpan(b * total, total);
            mask.Fill(1);
            if (pad > 0)
            {
                // Unused positions: before the row's own (growing cache) or after them, before the new tokens (shared buffer).
                mask.Slice(cache.IsShared ? past - pad : 0, pad).Clear();
            }
        }

        _binding.BindInput(_inputNames[_inputIdsIndex], HostView(ref _idsView, _ids, batch, seq));
        if (_maskIndex >= 0)
        {
            _binding.BindInput(_inputNames[_maskIndex], HostView(ref _maskView, _mask, batch, total));
        }

        if (_positionIndex >= 0)
        {
            _binding.BindInput(_inputNames[_positionIndex], HostView(ref _positionsView, _positions, batch, seq));
        }

        if (_useCacheBranchIndex >= 0)
        {
            _useCacheBranch[0] = past > 0;
            _binding.BindInput(_inputNames[_useCacheBranchIndex], _useCacheBranchView);
        }

        for (var l = 0; l < Layers; l++)
        {
            BindInputIfChanged(_firstPastIndex + (2 * l), cache.Keys[l]);
            BindInputIfChanged(_firstPastIndex + (2 * l) + 1, cache.Values[l]);
            BindOutputIfChanged(1 + (2 * l), cache.Present(2 * l, total));
            BindOutputIfChanged(2 + (2 * l), cache.Present((2 * l) + 1, total));
        }

        var logitsBytes = batch * VocabSize * DeviceMemory.ElementSize(LogitsType);
        var decode = seq == 1;
        if (decode)
        {
            // A decode step: [batch, 1, vocab] into the preallocated device buffer.
            if (_logitsBuffer is null || _logitsBuffer.Size < logitsBytes)
            {
                _logitsView?.Dispose();
                _logitsView = null;
                _logitsBuffer?.Dispose();
                _logitsBuffer = _memory.Allocate(logitsBytes);
            }

            if (_logitsView is null || _logitsViewBatch != batch)
            {
                _logitsView?.Dispose();
                _logitsView = _memory.View(_logitsBuffer, 0, LogitsType, [batch, 1, VocabSize]);
                _logitsViewBatch = batch;
            }

            BindOutputIfChanged(0, _logitsView);
        }
        else
        {
            // A prefill: the model decides how many positions it returns (some exports return only the last); ONNX Runtime
            // allocates them in host memory, once per prompt.
            _binding.BindOutputToDevice(_outputNames[0], OrtMemoryInfo.DefaultInstance);
            _boundOutputs[0] = null;
        }

        _session.RunWithBinding(runOptions, _binding);
        if (!_memory.IsHost)
        {
            _binding.SynchronizeBoundOutputs();
        }

        if (decode)
        {
            CopyLogits(_memory.ToHost(_logitsBuffer!.Pointer, logitsBytes, ref _hostLogits), batch, lastLogits, allLogits);
        }
        else
        {
            var names = _binding.GetOutputNames();
            using var outputs = _binding.GetOutputValues();
            var logits = ((IReadOnlyList<OrtValue>)outputs)[Array.IndexOf(names, _outputNames[0])];
            CopyLogits(logits.GetTensorMutableRawData(), batch, lastLogits, allLogits);
        }

        cache.Commit(total);
    }

    /// <summary>A view of [<paramref name="rows"/>, <paramref name="columns"/>] over a pinned host buffer, reused while the shape and the buffer stay the same.</summary>
    private static unsafe OrtValue HostView(ref HostTensor? view, long[] buffer, int rows, int columns)
    {
        if (view is { } current && current.Rows == rows && current.Columns == columns && ReferenceEquals(current.Buffer, buffer))
        {
            return current.Tensor;
        }

        view?.Tensor.Dispose();
        var bytes = (long)rows * columns * sizeof(long);
        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Int64, [rows, columns],
            (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer)), bytes);
        view = new HostTensor(value, buffer, rows, columns);
        return value;
    }

    private void BindInputIfChanged(int index, OrtValue value)
    {
        if (!ReferenceEquals(_boundInputs[index], value))
        {
            _binding.BindInput(_inputNames[index], value);
            _boundInputs[index] = value;
        }
    }

    private void BindOutputIfChanged(int index, OrtValue value)
    {
        if (!ReferenceEquals(_boundOutputs[index], value))
        {
            _binding.BindOutput(_outputNames[index], value);
            _boundOutputs[index] = value;
        }
    }

    /// <summary>Copies the last position's logits of each row from a run's raw logits (all positions the model returned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CopyLogits(ReadOnlySpan<byte> raw, int batch, Span<float> last, float[]? all)
    {
        var v = VocabSize;
        if (LogitsType == TensorElementType.Float)
        {
            var data = MemoryMarshal.Cast<byte, float>(raw);

            // Some exports return only the last position's logits: take the positions actually returned.
            var seq = data.Length / (batch * v);
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
            var data = MemoryMarshal.Cast<byte, Float16>(raw);
            var seq = data.Length / (batch * v);
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

    /// <summary>Grows a pinned host buffer (its address is bound to the session, so it never moves).</summary>
    private static void EnsurePinned(ref long[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = GC.AllocateArray<long>(Math.Max(size, buffer.Length * 2), pinned: true);
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
            if (options.EnableMemoryPattern is { } pattern)
            {
                so.EnableMemoryPattern = pattern;
            }

            if (options.EnableCpuMemArena is { } arena)
            {
                so.EnableCpuMemArena = arena;
            }

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

    public void Dispose()
    {
        _binding.Dispose();
        _idsView?.Tensor.Dispose();
        _maskView?.Tensor.Dispose();
        _positionsView?.Tensor.Dispose();
        _useCacheBranchView.Dispose();
        _logitsView?.Dispose();
        _logitsBuffer?.Dispose();
        _memory.Dispose();
        _session.Dispose();
    }

    /// <summary>A tensor view over a pinned host buffer, with the shape it was made for.</summary>
    private readonly record struct HostTensor(OrtValue Tensor, long[] Buffer, int Rows, int Columns);
}
