using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.Runtime;

/// <summary>
/// What one ONNX Runtime run of a <see cref="DecoderSession"/> needs of its own: an <see cref="OrtIoBinding"/>, the pinned
/// host buffers of ids, positions and mask, and the device buffer its decode logits go to. A run covers a contiguous range
/// of the batch's rows: all of them, or one part of a step split over several lanes that run at the same time
/// (<see cref="LocalOnnxEngineOptions.ParallelBatchRuns"/>). A part's KV tensors are views of its rows inside the cache's
/// buffers ([batch, kv_heads, positions, head_dim] keeps each row contiguous), so the parts together write exactly what one
/// run over the whole batch writes, into the same buffers.
/// </summary>
/// <remarks>
/// <see cref="Prepare"/> and <see cref="Finish"/> run on the caller's thread; <see cref="Execute"/> may run on another
/// thread, one lane per thread (ONNX Runtime allows concurrent runs of one session, each with its own binding).
/// </remarks>
internal sealed class RunLane : IDisposable
{
    private readonly DecoderSession _owner;
    private readonly OrtIoBinding _binding;

    // The tensor each input and output was last bound to (a tensor bound as it was is not bound again).
    private readonly OrtValue?[] _boundInputs;
    private readonly OrtValue?[] _boundOutputs;

    // Row views of a part's KV tensors, made for one run and disposed at the next (2 × layer + 0/1: key/value).
    private readonly OrtValue?[] _pastViews;
    private readonly OrtValue?[] _presentViews;
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
    private int _logitsViewRows;
    private byte[] _hostLogits = [];
    private int _rows;
    private bool _decode;
    private int _logitsBytes;
    private int[] _rightPadding = [];
    private bool _rightPadded;

    public RunLane(DecoderSession owner, OrtIoBinding binding)
    {
        _owner = owner;
        _binding = binding;
        _boundInputs = new OrtValue?[owner.InputNames.Count];
        _boundOutputs = new OrtValue?[owner.OutputNames.Count];
        _pastViews = new OrtValue?[2 * owner.Layers];
        _presentViews = new OrtValue?[2 * owner.Layers];
        _useCacheBranchView = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _useCacheBranch.AsMemory(), [1]);
    }

    /// <summary>
    /// Writes the inputs of rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rows"/>) and binds
    /// them with the cache's tensors of those rows (<paramref name="presents"/>: the whole batch's present tensors of this run,
    /// from <see cref="KvCache.Present"/>). <paramref name="ids"/> and <paramref name="padding"/> are those rows' own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Prepare(ReadOnlySpan<int> ids, int seq, KvCache cache, ReadOnlySpan<int> padding, int firstRow, int rows, OrtValue[] presents)
    {
        var owner = _owner;
        var past = cache.Length;
        var total = past + seq;
        EnsurePinned(ref _ids, rows * seq);
        EnsurePinned(ref _positions, rows * seq);
        EnsurePinned(ref _mask, rows * total);

        // A batched prefill into an empty shared buffer pads its prompts on the right: each row's positions start at 0, where
        // GroupQueryAttention writes them, and its next position follows its own prompt.
        var rightPadded = cache.IsShared && past == 0 && !padding.IsEmpty;
        if (rightPadded)
        {
            if (_rightPadding.Length < rows)
            {
                _rightPadding = new int[rows];
            }

            padding.CopyTo(_rightPadding);
        }

        for (var b = 0; b < rows; b++)
        {
            var pad = padding.IsEmpty ? 0 : padding[b];
            for (var i = 0; i < seq; i++)
            {
                _ids[(b * seq) + i] = ids[(b * seq) + i];

                // A left-padded prompt's padding (a batched prefill) gets position 0; the mask leaves it out.
                _positions[(b * seq) + i] = rightPadded ? i : Math.Max(0, past - pad + i);
            }

            var mask = _mask.AsSpan(b * total, total);
            mask.Fill(1);
            if (pad > 0)
            {
                // Unused positions: before the row's own (growing cache), after them and before the new tokens (shared
                // buffer), or after the row's prompt (a right-padded prefill).
                mask.Slice(rightPadded ? seq - pad : cache.IsShared ? past - pad : 0, pad).Clear();
            }
        }

        _rightPadded = rightPadded;

        var names = owner.InputNames;
        _binding.BindInput(names[owner.InputIdsIndex], HostView(ref _idsView, _ids, rows, seq));
        if (owner.MaskIndex >= 0)
        {
            _binding.BindInput(names[owner.MaskIndex], HostView(ref _maskView, _mask, rows, total));
        }

        if (owner.PositionIndex >= 0)
        {
            _binding.BindInput(names[owner.PositionIndex], HostView(ref _positionsView, _positions, rows, seq));
        }

        if (owner.UseCacheBranchIndex >= 0)
        {
            _useCacheBranch[0] = past > 0;
            _binding.BindInput(names[owner.UseCacheBranchIndex], _useCacheBranchView);
        }

        var whole = firstRow == 0 && rows == cache.Batch;
        var firstPast = owner.FirstPastIndex;
        for (var i = 0; i < presents.Length; i++)
        {
            OrtValue pastTensor, presentTensor;
            if (whole)
            {
                pastTensor = (i & 1) == 0 ? cache.Keys[i / 2] : cache.Values[i / 2];
                presentTensor = presents[i];
            }
            else
            {
                _pastViews[i]?.Dispose();
                _presentViews[i]?.Dispose();
                _presentViews[i] = null;
                pastTensor = cache.PastRows(i, firstRow, rows);
                _pastViews[i] = pastTensor;

                // A shared buffer is its own present: the same view is bound as both.
                presentTensor = cache.IsShared ? pastTensor : cache.PresentRows(i, total, firstRow, rows);
                if (!cache.IsShared)
                {
                    _presentViews[i] = presentTensor;
                }
            }

            BindInputIfChanged(firstPast + i, pastTensor);
            BindOutputIfChanged(1 + i, presentTensor);
        }

        _rows = rows;
        _decode = seq == 1;
        _logitsBytes = rows * owner.VocabSize * DeviceMemory.ElementSize(owner.LogitsType);
        if (_decode)
        {
            // A decode step: [rows, 1, vocab] into the lane's preallocated device buffer.
            if (_logitsBuffer is null || _logitsBuffer.Size < _logitsBytes)
            {
                _logitsView?.Dispose();
                _logitsView = null;
                _logitsBuffer?.Dispose();
                _logitsBuffer = owner.Memory.Allocate(_logitsBytes);
            }

            if (_logitsView is null || _logitsViewRows != rows)
            {
                _logitsView?.Dispose();
                _logitsView = owner.Memory.View(_logitsBuffer, 0, owner.LogitsType, [rows, 1, owner.VocabSize]);
                _logitsViewRows = rows;
            }

            BindOutputIfChanged(0, _logitsView);
        }
        else
        {
            // A prefill: the model decides how many positions it returns (some exports return only the last); ONNX Runtime
            // allocates them in host memory, once per prompt.
            _binding.BindOutputToDevice(owner.OutputNames[0], OrtMemoryInfo.DefaultInstance);
            _boundOutputs[0] = null;
        }
    }

    /// <summary>Runs the prepared binding (any thread; one lane per thread at a time).</summary>
    public void Execute(InferenceSession session, RunOptions runOptions)
    {
        session.RunWithBinding(runOptions, _binding);
        if (!_owner.Memory.IsHost)
        {
            _binding.SynchronizeBoundOutputs();
        }
    }

    /// <summary>Copies the run's last-position logits of each of its rows to <paramref name="lastLogits"/> ([rows, vocab]) and, when given, all positions' logits to <paramref name="allLogits"/>.</summary>
    public void Finish(Span<float> lastLogits, float[]? allLogits)
    {
        if (_decode)
        {
            _owner.CopyLogits(_owner.Memory.ToHost(_logitsBuffer!.Pointer, _logitsBytes, ref _hostLogits), _rows, lastLogits, allLogits);
            return;
        }

        var names = _binding.GetOutputNames();
        using var outputs = _binding.GetOutputValues();
        var logits = ((IReadOnlyList<OrtValue>)outputs)[Array.IndexOf(names, _owner.OutputNames[0])];
        _owner.CopyLogits(logits.GetTensorMutableRawData(), _rows, lastLogits, allLogits, _rightPadded ? _rightPadding.AsSpan(0, _rows) : default);
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var view in _pastViews)
        {
            view?.Dispose();
        }

        foreach (var view in _presentViews)
        {
            view?.Dispose();
        }

        _idsView?.Tensor.Dispose();
        _maskView?.Tensor.Dispose();
        _positionsView?.Tensor.Dispose();
        _useCacheBranchView.Dispose();
        _logitsView?.Dispose();
        _logitsBuffer?.Dispose();
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

    /// <summary>Grows a pinned host buffer (its address is bound to the session, so it never moves while bound).</summary>
    private static void EnsurePinned(ref long[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = GC.AllocateArray<long>(Math.Max(size, buffer.Length * 2), pinned: true);
        }
    }

    private void BindInputIfChanged(int index, OrtValue value)
    {
        if (!ReferenceEquals(_boundInputs[index], value))
        {
            _binding.BindInput(_owner.InputNames[index], value);
            _boundInputs[index] = value;
        }
    }

    private void BindOutputIfChanged(int index, OrtValue value)
    {
        if (!ReferenceEquals(_boundOutputs[index], value))
        {
            _binding.BindOutput(_owner.OutputNames[index], value);
            _boundOutputs[index] = value;
        }
    }

    /// <summary>A tensor view over a pinned host buffer, with the shape it was made for.</summary>
    private readonly record struct HostTensor(OrtValue Tensor, long[] Buffer, int Rows, int Columns);
}
