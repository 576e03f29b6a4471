using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.Runtime;

/// <summary>
/// The per-layer key/value tensors of one or more sequences, in buffers on the execution device (<see cref="DeviceMemory"/>).
/// A shared buffer (past_present_share_buffer) is bound as both the model's past input and its present output, so a step
/// copies nothing. A growing cache (the Optimum export, whose Concat makes a new present tensor one position longer) has a
/// second, spare buffer per tensor: the present outputs are bound to views over the spares, and after the run the two
/// swap, so the present becomes the next step's past without a copy or an allocation (the spares grow by doubling).
/// </summary>
internal sealed class KvCache : IDisposable
{
    private const int MinimumPositions = 16;

    private readonly DeviceMemory _memory;
    private readonly bool _ownsMemory;
    private readonly TensorElementType _type;
    private readonly long _kvHeads;
    private readonly long _headDim;

    // One entry per tensor: 2 × layer for the key, 2 × layer + 1 for the value.
    private readonly DeviceBuffer[] _buffers;
    private readonly DeviceBuffer?[] _spares;
    private readonly OrtValue?[] _presents;

    private KvCache(int layers, int batch, long kvHeads, long headDim, TensorElementType type, DeviceMemory? memory)
    {
        _ownsMemory = memory is null;
        _memory = memory ?? DeviceMemory.Cpu();
        _type = type;
        _kvHeads = kvHeads;
        _headDim = headDim;
        _buffers = new DeviceBuffer[2 * layers];
        _spares = new DeviceBuffer?[2 * layers];
        _presents = new OrtValue?[2 * layers];
        Keys = new OrtValue[layers];
        Values = new OrtValue[layers];
        Batch = batch;
    }

    /// <summary>Gets the key tensors, [batch, kv_heads, positions, head_dim] views over the cache's buffers.</summary>
    public OrtValue[] Keys { get; }

    /// <summary>Gets the value tensors, shaped as <see cref="Keys"/>.</summary>
    public OrtValue[] Values { get; }

    public int Batch { get; private set; }

    /// <summary>Gets the number of positions held.</summary>
    public int Length { get; private set; }

    /// <summary>Gets a value indicating whether the tensors are fixed-size buffers that the model writes in place (past_present_share_buffer).</summary>
    public bool IsShared { get; private init; }

    /// <summary>Gets the positions a shared buffer holds; for a growing cache, the current length.</summary>
    public int Capacity => IsShared ? _capacity : Length;

    private int _capacity;
    private int _maxCapacity;

    /// <summary>Gets the bytes of one position of one row in one tensor (kv_heads × head_dim elements).</summary>
    private long PositionBytes => _kvHeads * _headDim * DeviceMemory.ElementSize(_type);

    /// <summary>
    /// Creates [batch, kv_heads, capacity, head_dim] buffers used as both past and present. With <paramref name="maxCapacity"/>
    /// above <paramref name="capacity"/>, <see cref="EnsureCapacity"/> grows them (by doubling) up to it as positions are added, so
    /// a short conversation does not hold a whole context's memory.
    /// </summary>
    public static KvCache Shared(int layers, int batch, int kvHeads, int capacity, int headDim, TensorElementType type, DeviceMemory? memory = null, int maxCapacity = 0)
    {
        var cache = new KvCache(layers, batch, kvHeads, headDim, type, memory) { IsShared = true, _capacity = capacity, _maxCapacity = Math.Max(capacity, maxCapacity) };
        cache.AllocateAll(capacity, clear: false);
        return cache;
    }

    /// <summary>The capacity a shared buffer that must hold <paramref name="positions"/> gets: a power of two from 16, at most <paramref name="maxCapacity"/>.</summary>
    public static int SharedCapacity(int positions, int maxCapacity) => Math.Min(maxCapacity, RoundUp(positions));

    /// <summary>Gets the most positions a shared buffer may grow to.</summary>
    public int MaxCapacity => IsShared ? _maxCapacity : int.MaxValue;

    /// <summary>
    /// Makes a shared buffer hold at least <paramref name="positions"/>: new buffers of the next capacity (doubling, at most
    /// <see cref="MaxCapacity"/>) receive every row's positions. All buffers are allocated before any is replaced, so a failure
    /// leaves the cache as it was. Nothing to do for a growing cache or a buffer already large enough.
    /// </summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxCapacity"/> positions were asked for.</exception>
    public void EnsureCapacity(int positions)
    {
        if (!IsShared || positions <= _capacity)
        {
            return;
        }

        if (positions > _maxCapacity)
        {
            throw new InvalidOperationException($"The KV buffer holds at most {_maxCapacity} positions; {positions} were needed.");
        }

        Resize(SharedCapacity(positions, _maxCapacity));
    }

    /// <summary>Moves a shared buffer's positions into new buffers of <paramref name="capacity"/> positions per row (at least <see cref="Length"/>).</summary>
    private void Resize(int capacity)
    {
        var bytes = Batch * capacity * PositionBytes;
        var grown = new DeviceBuffer[_buffers.Length];
        try
        {
            for (var i = 0; i < grown.Length; i++)
            {
                grown[i] = _memory.Allocate(bytes);
            }
        }
        catch
        {
            foreach (var buffer in grown)
            {
                buffer?.Dispose();
            }

            throw;
        }

        // [B, H, T, D]: each row's each head holds T positions contiguously; copy the positions held into the wider stride.
        var head = _headDim * DeviceMemory.ElementSize(_type);
        var rowsHeads = Batch * _kvHeads;
        for (var i = 0; i < grown.Length; i++)
        {
            var from = _buffers[i].Pointer;
            var to = grown[i].Pointer;
            for (long r = 0; r < rowsHeads && Length > 0; r++)
            {
                _memory.Copy(from + (nint)(r * _capacity * head), to + (nint)(r * capacity * head), Length * head);
            }

            _buffers[i].Dispose();
            _buffers[i] = grown[i];
            SetTensor(i, _memory.View(grown[i], 0, _type, [Batch, _kvHeads, capacity, _headDim]));
        }

        _capacity = capacity;
    }

    /// <summary>Records that a run wrote positions up to <paramref name="length"/> into the shared buffers.</summary>
    public void Advance(int length) => Length = length;

    /// <summary>A growing cache holding no positions yet.</summary>
    public static KvCache Empty(int layers, int batch, int kvHeads, int headDim, TensorElementType type, DeviceMemory? memory = null)
    {
        var cache = new KvCache(layers, batch, kvHeads, headDim, type, memory);
        cache.AllocateAll(0, clear: false);
        return cache;
    }

    /// <summary>Allocates zero-filled [batch, kv_heads, length, head_dim] tensors holding <paramref name="length"/> positions (a growing cache).</summary>
    public static KvCache Zeroed(int layers, int batch, int kvHeads, int length, int headDim, TensorElementType type, DeviceMemory? memory = null)
    {
        var cache = new KvCache(layers, batch, kvHeads, headDim, type, memory) { Length = length };
        cache.AllocateAll(length, clear: true);
        return cache;
    }

    /// <summary>
    /// The tensors a run's present outputs are bound to: the shared buffers themselves, or views of
    /// [batch, kv_heads, <paramref name="total"/>, head_dim] over the spare buffers (allocated or grown here, by doubling).
    /// <paramref name="index"/> is 2 × layer for the key, 2 × layer + 1 for the value.
    /// </summary>
    public OrtValue Present(int index, int total)
    {
        if (IsShared)
        {
            return (index & 1) == 0 ? Keys[index / 2] : Values[index / 2];
        }

        var bytes = Batch * total * PositionBytes;
        if (_spares[index] is not { } spare || spare.Size < bytes)
        {
            _spares[index]?.Dispose();
            _spares[index] = null;
            spare = _memory.Allocate(Batch * RoundUp(total) * PositionBytes);
            _spares[index] = spare;
        }

        _presents[index]?.Dispose();
        var view = _memory.View(spare, 0, _type, [Batch, _kvHeads, total, _headDim]);
        _presents[index] = view;
        return view;
    }

    /// <summary>
    /// A [<paramref name="rows"/>, kv_heads, positions, head_dim] view of rows [<paramref name="firstRow"/>,
    /// <paramref name="firstRow"/> + <paramref name="rows"/>) of tensor <paramref name="index"/> (the past a part of a split run
    /// reads; for a shared buffer also the present it writes). The caller disposes it.
    /// </summary>
    public OrtValue PastRows(int index, int firstRow, int rows)
    {
        CheckRows(firstRow, rows);
        long positions = IsShared ? _capacity : Length;
        return _memory.View(_buffers[index], firstRow * positions * PositionBytes, _type, [rows, _kvHeads, positions, _headDim]);
    }

    /// <summary>
    /// A [<paramref name="rows"/>, kv_heads, <paramref name="total"/>, head_dim] view of rows [<paramref name="firstRow"/>,
    /// <paramref name="firstRow"/> + <paramref name="rows"/>) of the present tensor <see cref="Present"/> made for this run
    /// (a growing cache's spare buffer). The caller disposes it.
    /// </summary>
    public OrtValue PresentRows(int index, int total, int firstRow, int rows)
    {
        if (IsShared)
        {
            return PastRows(index, firstRow, rows);
        }

        CheckRows(firstRow, rows);
        var spare = _spares[index] ?? throw new InvalidOperationException("Present() was not called for this tensor before its rows were viewed.");
        return _memory.View(spare, firstRow * total * PositionBytes, _type, [rows, _kvHeads, total, _headDim]);
    }

    /// <summary>After a successful run: the present views become the cache (a growing cache swaps its buffers) and it holds <paramref name="length"/> positions.</summary>
    public void Commit(int length)
    {
        if (!IsShared)
        {
            for (var i = 0; i < _buffers.Length; i++)
            {
                var present = _presents[i] ?? throw new InvalidOperationException("Present() was not called for every tensor before the run.");
                (_buffers[i], _spares[i]) = (_spares[i]!, _buffers[i]);
                SetTensor(i, present);
                _presents[i] = null;
            }
        }

        Length = length;
    }

    /// <summary>
    /// Frees the spare buffers and fits a growing cache's buffers to the positions it holds (a cache kept for later, in the
    /// prefix cache, then costs its budget only what it holds).
    /// </summary>
    public void Shrink()
    {
        ReleaseSpares();
        if (IsShared)
        {
            // Room for the next position only: a kept conversation grows again (by doubling) when it continues.
            var fitted = Math.Min(_maxCapacity, Length + 1);
            if (fitted < _capacity)
            {
                Resize(fitted);
            }

            return;
        }

        var bytes = Batch * Length * PositionBytes;
        for (var i = 0; i < _buffers.Length; i++)
        {
            if (_buffers[i].Size <= Math.Max(bytes, 64))
            {
                continue;
            }

            // The tensor is the buffer's first [batch, kv_heads, length, head_dim] elements: one contiguous copy.
            var fitted = _memory.Allocate(bytes);
            _memory.Copy(_buffers[i].Pointer, fitted.Pointer, bytes);
            SetTensor(i, _memory.View(fitted, 0, _type, [Batch, _kvHeads, Length, _headDim]));
            _buffers[i].Dispose();
            _buffers[i] = fitted;
        }
    }

    private void ReleaseSpares()
    {
        for (var i = 0; i < _spares.Length; i++)
        {
            _presents[i]?.Dispose();
            _presents[i] = null;
            _spares[i]?.Dispose();
            _spares[i] = null;
        }
    }

    /// <summary>The address of tensor <paramref name="index"/>'s current buffer (tests check that steps reuse buffers).</summary>
    internal nint BufferAddress(int index) => _buffers[index].Pointer;

    /// <summary>Copies the first <paramref name="length"/> positions of batch row 0 into a new cache with <paramref name="batch"/> rows.</summary>
    public KvCache CopyPrefix(int length, int batch)
    {
        var capacity = IsShared ? SharedCapacity(length + 1, _maxCapacity) : length;
        var copy = new KvCache(Keys.Length, batch, _kvHeads, _headDim, _type, _ownsMemory ? null : _memory) { Length = length, IsShared = IsShared, _capacity = capacity, _maxCapacity = _maxCapacity };
        try
        {
            copy.AllocateAll(capacity, clear: false);
            for (var b = 0; b < batch; b++)
            {
                CopyPositions(this, 0, 0, copy, b, 0, length);
            }
        }
        catch
        {
            copy.Dispose();
            throw;
        }

        return copy;
    }

    /// <summary>
    /// Keeps only the batch rows listed (ascending), moved to the front of the same memory; the tensors become views with the
    /// smaller batch, so the next run computes only those rows. No memory is allocated or freed.
    /// </summary>
    public void KeepRows(ReadOnlySpan<int> rows)
    {
        if (rows.IsEmpty || rows.Length > Batch)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"Between 1 and {Batch} rows can be kept; {rows.Length} were given.");
        }

        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] < i || rows[i] >= Batch || (i > 0 && rows[i] <= rows[i - 1]))
            {
                throw new ArgumentException("Rows must be distinct batch rows in ascending order.", nameof(rows));
            }
        }

        var positions = IsShared ? _capacity : Length;
        var rowBytes = positions * PositionBytes; // [B, H, T, D]: a row is H × T × D contiguous elements
        for (var i = 0; i < _buffers.Length; i++)
        {
            var start = _buffers[i].Pointer;
            for (var r = 0; r < rows.Length; r++)
            {
                // rows[r] >= r, so a row only ever moves towards the front, onto a row that was already moved or dropped.
                if (rows[r] != r)
                {
                    _memory.Copy(start + (nint)(rows[r] * rowBytes), start + (nint)(r * rowBytes), rowBytes);
                }
            }
        }

        Batch = rows.Length;
        for (var i = 0; i < _buffers.Length; i++)
        {
            SetTensor(i, _memory.View(_buffers[i], 0, _type, [Batch, _kvHeads, positions, _headDim]));
        }
    }

    /// <summary>Gets the bytes the cache's buffers occupy (its allocations, spares included, not only the positions held).</summary>
    public long Bytes
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _buffers.Length; i++)
            {
                total += _buffers[i].Size + (_spares[i]?.Size ?? 0);
            }

            return total;
        }
    }

    /// <summary>
    /// Copies <paramref name="count"/> positions of every layer and head from row <paramref name="sourceRow"/> at
    /// <paramref name="sourceStart"/> of <paramref name="source"/> to row <paramref name="targetRow"/> at <paramref name="targetStart"/>.
    /// </summary>
    public static void CopyPositions(KvCache source, int sourceRow, int sourceStart, KvCache target, int targetRow, int targetStart, int count)
    {
        if (count == 0)
        {
            return;
        }

        var heads = source._kvHeads;
        var position = source._headDim * DeviceMemory.ElementSize(source._type); // bytes per position of one head
        long sourceT = source.IsShared ? source._capacity : source.Length;
        long targetT = target.IsShared ? target._capacity : target.Length;
        for (var i = 0; i < source._buffers.Length; i++)
        {
            var src = source._buffers[i].Pointer;
            var dst = target._buffers[i].Pointer;
            for (var h = 0; h < heads; h++)
            {
                var from = ((((sourceRow * heads) + h) * sourceT) + sourceStart) * position;
                var to = ((((targetRow * heads) + h) * targetT) + targetStart) * position;
                target._memory.Copy(src + (nint)from, dst + (nint)to, count * position);
            }
        }
    }

    private void CheckRows(int firstRow, int rows)
    {
        if (firstRow < 0 || rows < 1 || firstRow + rows > Batch)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"Rows {firstRow} to {firstRow + rows - 1} are not all in a batch of {Batch}.");
        }
    }

    private static int RoundUp(int positions)
    {
        var capacity = MinimumPositions;
        while (capacity < positions)
        {
            capacity *= 2;
        }

        return capacity;
    }

    private void AllocateAll(int positions, bool clear)
    {
        var bytes = Batch * positions * PositionBytes;
        for (var i = 0; i < _buffers.Length; i++)
        {
            _buffers[i] = _memory.Allocate(bytes);
            if (clear)
            {
                _memory.Clear(_buffers[i].Pointer, bytes);
            }

            SetTensor(i, _memory.View(_buffers[i], 0, _type, [Batch, _kvHeads, positions, _headDim]));
        }
    }

    private void SetTensor(int index, OrtValue tensor)
    {
        var tensors = (index & 1) == 0 ? Keys : Values;
        tensors[index / 2]?.Dispose();
        tensors[index / 2] = tensor;
    }

    public void Dispose()
    {
        ReleaseSpares();
        for (var i = 0; i < _buffers.Length; i++)
        {
            var tensors = (i & 1) == 0 ? Keys : Values;
            tensors[i / 2]?.Dispose();
            _buffers[i]?.Dispose();
        }

        if (_ownsMemory)
        {
            _memory.Dispose();
        }
    }
}
