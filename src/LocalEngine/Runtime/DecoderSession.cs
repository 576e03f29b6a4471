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

    // The model's input and output names.
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    // The fewest rows a part of a split run gets: a part reads all the weights again, which only pays when it has enough rows
    // to compute (at 2 rows per part a memory-bound model's step got slower; docs/benchmarks.md, "Parallel batch runs").
    private const int MinRowsPerPart = 4;

    // A prefill's row is a whole prompt: a part of 2 rows already computes dozens of positions per weight read.
    private const int MinRowsPerPrefillPart = 2;

    // Lane 0 runs a whole batch (or the first part of a split step); lanes 1.. the other parts, on ParallelRuns' threads.
    private readonly List<RunLane> _lanes = [];
    private readonly int _maxParts;
    private readonly TimeProvider _time;
    private readonly TimeSpan _minSplitRun;
    private TimeSpan _lastDecodeRun;
    private ParallelRuns? _parallel;
    private OrtValue[] _presents = [];
    private (int First, int Rows)[] _parts = [];
    private RunOptions? _partOptions;
    private Action<int>? _executePart;

    /// <summary>Loads <paramref name="model"/>'s ONNX file, or <paramref name="modelBytes"/> (a rewritten graph whose external data stays beside that file) when given.</summary>
    public DecoderSession(ModelDescriptor model, LocalOnnxEngineOptions options, byte[]? modelBytes = null)
    {
        Model = model;
        using var sessionOptions = CreateSessionOptions(options, model);
        try
        {
            if (modelBytes is null)
            {
                _session = new InferenceSession(model.ModelPath, sessionOptions);
            }
            else
            {
                sessionOptions.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", Path.GetDirectoryName(model.ModelPath) ?? ".");
                _session = new InferenceSession(modelBytes, sessionOptions);
            }
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
            InputIdsIndex = 0;
            if (mask is not null)
            {
                MaskIndex = inputNames.Count;
                inputNames.Add(mask);
            }

            if (hasPositions)
            {
                PositionIndex = inputNames.Count;
                inputNames.Add(positions);
            }

            if (inputs.ContainsKey("use_cache_branch"))
            {
                UseCacheBranchIndex = inputNames.Count;
                inputNames.Add("use_cache_branch");
            }

            FirstPastIndex = inputNames.Count;
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
            HasPositionIds = hasPositions;
            _memory = DeviceMemory.For(_session, options.ExecutionProvider, options.DeviceId);
            _maxParts = options.EffectiveParallelBatchRuns;
            _time = options.TimeProvider;
            _minSplitRun = options.ParallelBatchMinRunTime;
            _lanes.Add(NewLane());
        }
        catch
        {
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
    public bool HasAttentionMask => MaskIndex >= 0;

    public TensorElementType CacheType { get; }

    public TensorElementType LogitsType { get; }

    public IReadOnlyList<string> InputNames => _inputNames;

    /// <summary>Gets the output names: the logits first, then each layer's present key and value.</summary>
    public IReadOnlyList<string> OutputNames => _outputNames;

    /// <summary>Gets the most parts one batched run is split into (<see cref="LocalOnnxEngineOptions.ParallelBatchRuns"/>).</summary>
    public int MaxParts => _maxParts;

    /// <summary>Gets the policy that chooses whether a run that may be split is split.</summary>
    internal SplitPolicy Splits { get; } = new();

    /// <summary>Gets how many runs were split into parts (tests and the bench check that splitting happened).</summary>
    internal long SplitRuns { get; private set; }

    /// <summary>Gets where the input ids are in <see cref="InputNames"/>.</summary>
    internal int InputIdsIndex { get; }

    /// <summary>Gets where the attention mask is in <see cref="InputNames"/>; -1: the model takes none.</summary>
    internal int MaskIndex { get; } = -1;

    /// <summary>Gets where the position ids are in <see cref="InputNames"/>; -1: the model takes none.</summary>
    internal int PositionIndex { get; } = -1;

    /// <summary>Gets where use_cache_branch is in <see cref="InputNames"/>; -1: the model takes none.</summary>
    internal int UseCacheBranchIndex { get; } = -1;

    /// <summary>Gets where layer 0's past key is in <see cref="InputNames"/> (then its value, then the next layer's).</summary>
    internal int FirstPastIndex { get; }

    /// <summary>
    /// A cache of <paramref name="batch"/> rows holding no positions: for a shared-buffer model, buffers with room for
    /// <paramref name="positions"/> (rounded up to a power of two, or exactly with <paramref name="exact"/>: a copy kept in the
    /// prefix cache) that grow up to the context length as the rows do.
    /// </summary>
    public KvCache CreateCache(int batch, int positions = 1, bool exact = false) => Model.PastPresentShareBuffer
        ? KvCache.Shared(Layers, batch, KvHeads, exact ? Math.Min(positions, Model.ContextLength) : KvCache.SharedCapacity(positions, Model.ContextLength), HeadDim, CacheType, _memory, Model.ContextLength)
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
    /// prompts into an empty growing cache pads them on the left the same way (<paramref name="ids"/> holds the padding first);
    /// into an empty shared buffer it pads them on the right (each row's padding last; its logits are those of its last prompt
    /// token, and its next position follows its prompt). A shared buffer grows (<see cref="KvCache.EnsureCapacity"/>) to hold the run.
    /// </para>
    /// <para>
    /// Inputs and outputs go through an <see cref="OrtIoBinding"/> (one per <see cref="RunLane"/>), reused across runs, on the provider's memory
    /// (<see cref="Memory"/>): the KV tensors are the cache's device buffers (a shared buffer is bound as past and present; a
    /// growing cache's present outputs are bound to its spare buffers), a decode step's logits go to a preallocated device
    /// buffer and only those [batch, vocab] values come back to the host. Ids, positions and the mask are written into pinned
    /// host buffers and bound each run (the binding copies them to the device when the provider is not the CPU). A binding
    /// whose tensor did not change is not bound again.
    /// </para>
    /// <para>
    /// A run over several rows is split into up to <see cref="MaxParts"/> runs over contiguous row ranges that run at the same
    /// time, each through its own lane on its own thread (<see cref="LocalOnnxEngineOptions.ParallelBatchRuns"/>); a run that
    /// returns all positions' logits is not split. The parts write their rows of the same present buffers and logits, so the
    /// result is the one run's.
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<int> ids, int seq, KvCache cache, RunOptions runOptions, Span<float> lastLogits, float[]? allLogits = null, ReadOnlySpan<int> padding = default)
    {
        var batch = cache.Batch;
        var past = cache.Length;
        var total = past + seq;
        cache.EnsureCapacity(total);

        // The present tensors of the whole batch (a growing cache's spare buffers, grown here); parts bind views of their rows.
        if (_presents.Length != 2 * Layers)
        {
            _presents = new OrtValue[2 * Layers];
        }

        for (var i = 0; i < _presents.Length; i++)
        {
            _presents[i] = cache.Present(i, total);
        }

        // A run may be split when it has rows for two parts and the last decode run was long enough for the parts to gain more
        // than handing them to other threads costs; whether it is split, the policy decides by what split and whole runs cost.
        var decode = seq == 1;
        var minRows = decode ? MinRowsPerPart : MinRowsPerPrefillPart;
        var splittable = allLogits is null && _maxParts > 1 && batch >= 2 * minRows && _lastDecodeRun >= _minSplitRun;
        var split = splittable && (decode ? Splits.ChooseSplit() : Splits.PrefersSplit);
        var parts = split ? Math.Min(_maxParts, batch / minRows) : 1;
        var started = _time.GetTimestamp();
        if (parts <= 1)
        {
            var lane = _lanes[0];
            lane.Prepare(ids, seq, cache, padding, 0, batch, _presents);
            lane.Execute(_session, runOptions);
            lane.Finish(lastLogits, allLogits);
        }
        else
        {
            RunParts(ids, seq, cache, runOptions, lastLogits, padding, parts);
        }

        if (decode)
        {
            _lastDecodeRun = _time.GetElapsedTime(started);
            if (splittable)
            {
                Splits.Record(split, _lastDecodeRun, batch);
            }
        }

        cache.Commit(total);
    }

    private RunLane NewLane() => new(this, _session.CreateIoBinding());

    /// <summary>
    /// One run split into <paramref name="parts"/> runs over contiguous row ranges (sizes differing by at most one), run at the
    /// same time: rows are independent in a decoder, so each part computes exactly its rows of the whole run.
    /// </summary>
    private void RunParts(ReadOnlySpan<int> ids, int seq, KvCache cache, RunOptions runOptions, Span<float> lastLogits, ReadOnlySpan<int> padding, int parts)
    {
        while (_lanes.Count < parts)
        {
            _lanes.Add(NewLane());
        }

        _parallel ??= new ParallelRuns(_maxParts - 1);
        if (_parts.Length < parts)
        {
            _parts = new (int, int)[parts];
        }

        var batch = cache.Batch;
        var first = 0;
        for (var p = 0; p < parts; p++)
        {
            var rows = (batch / parts) + (p < batch % parts ? 1 : 0);
            _parts[p] = (first, rows);
            _lanes[p].Prepare(ids.Slice(first * seq, rows * seq), seq, cache, padding.IsEmpty ? default : padding.Slice(first, rows), first, rows, _presents);
            first += rows;
        }

        SplitRuns++;
        _partOptions = runOptions;
        try
        {
            _parallel.Run(parts, _executePart ??= p => _lanes[p].Execute(_session, _partOptions!));
        }
        finally
        {
            _partOptions = null;
        }

        var vocab = VocabSize;
        for (var p = 0; p < parts; p++)
        {
            var (start, rows) = _parts[p];
            _lanes[p].Finish(lastLogits.Slice(start * vocab, rows * vocab), null);
        }
    }

    /// <summary>
    /// Copies the last position's logits of each row from a run's raw logits (all positions the model returned); with
    /// <paramref name="rightPadding"/>, row b's last position is <paramref name="rightPadding"/>[b] positions before the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void CopyLogits(ReadOnlySpan<byte> raw, int batch, Span<float> last, float[]? all, ReadOnlySpan<int> rightPadding = default)
    {
        var v = VocabSize;
        if (LogitsType == TensorElementType.Float)
        {
            var data = MemoryMarshal.Cast<byte, float>(raw);

            // Some exports return only the last position's logits: take the positions actually returned.
            var seq = data.Length / (batch * v);
            for (var b = 0; b < batch; b++)
            {
                data.Slice((((b * seq) + LastPosition(rightPadding, b, seq)) * v), v).CopyTo(last.Slice(b * v, v));
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
                var row = data.Slice((((b * seq) + LastPosition(rightPadding, b, seq)) * v), v);
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

    /// <summary>Where row <paramref name="b"/>'s last token is among the <paramref name="seq"/> positions of logits returned.</summary>
    private static int LastPosition(ReadOnlySpan<int> rightPadding, int b, int seq)
    {
        var pad = rightPadding.IsEmpty ? 0 : rightPadding[b];
        if (pad > 0 && pad >= seq)
        {
            throw new InvalidOperationException($"The model returned {seq} position(s) of logits per row; a prompt padded on the right by {pad} needs them all.");
        }

        return seq - 1 - pad;
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
        _parallel?.Dispose();
        foreach (var lane in _lanes)
        {
            lane.Dispose();
        }

        _memory.Dispose();
        _session.Dispose();
    }
}
