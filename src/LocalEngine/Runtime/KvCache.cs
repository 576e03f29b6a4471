using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.Runtime;

/// <summary>
/// The per-layer key/value tensors of one or more sequences. After each step the model's present outputs become the
/// next step's past inputs without a managed copy: the cache owns the ORT result collection they live in.
/// </summary>
internal sealed class KvCache : IDisposable
{
    private readonly List<OrtValue> _owned = [];
    private IDisposable? _results;

    public KvCache(int layers, int batch)
    {
        Keys = new OrtValue[layers];
        Values = new OrtValue[layers];
        Batch = batch;
    }

    public OrtValue[] Keys { get; }

    public OrtValue[] Values { get; }

    public int Batch { get; private set; }

    /// <summary>Gets the number of positions held.</summary>
    public int Length { get; private set; }

    /// <summary>Gets a value indicating whether the tensors are fixed-size buffers that the model writes in place (past_present_share_buffer).</summary>
    public bool IsShared { get; private init; }

    /// <summary>Gets the positions a shared buffer holds; for a growing cache, the current length.</summary>
    public int Capacity { get; private init; }

    /// <summary>Creates preallocated [batch, kv_heads, capacity, head_dim] buffers used as both past and present.</summary>
    public static KvCache Shared(int layers, int batch, int kvHeads, int capacity, int headDim, TensorElementType type)
    {
        var cache = new KvCache(layers, batch) { IsShared = true, Capacity = capacity };
        for (var l = 0; l < layers; l++)
        {
            cache.Keys[l] = cache.Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, [batch, kvHeads, capacity, headDim]));
            cache.Values[l] = cache.Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, [batch, kvHeads, capacity, headDim]));
        }

        return cache;
    }

    /// <summary>Records that a run wrote positions up to <paramref name="length"/> into the shared buffers.</summary>
    public void Advance(int length) => Length = length;

    public static KvCache Empty(int layers, int batch, int kvHeads, int headDim, TensorElementType type)
    {
        var cache = new KvCache(layers, batch);
        for (var l = 0; l < layers; l++)
        {
            cache.Keys[l] = cache.Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, [batch, kvHeads, 0, headDim]));
            cache.Values[l] = cache.Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, [batch, kvHeads, 0, headDim]));
        }

        return cache;
    }

    /// <summary>Takes ownership of a run's outputs; present tensors at <paramref name="firstPresent"/> + 2*layer (key) and +1 (value).</summary>
    public void Adopt(IDisposableReadOnlyCollection<OrtValue> results, int firstPresent, int newLength)
    {
        var list = (IReadOnlyList<OrtValue>)results;
        ReleaseStorage();
        _results = results;
        for (var l = 0; l < Keys.Length; l++)
        {
            Keys[l] = list[firstPresent + (2 * l)];
            Values[l] = list[firstPresent + (2 * l) + 1];
        }

        Length = newLength;
    }

    /// <summary>Copies the first <paramref name="length"/> positions of batch row 0 into a new cache with <paramref name="batch"/> rows.</summary>
    public KvCache CopyPrefix(int length, int batch)
    {
        var capacity = IsShared ? Capacity : length;
        var copy = new KvCache(Keys.Length, batch) { Length = length, IsShared = IsShared, Capacity = capacity };
        for (var l = 0; l < Keys.Length; l++)
        {
            copy.Keys[l] = copy.Own(CopyRows(Keys[l], length, batch, capacity));
            copy.Values[l] = copy.Own(CopyRows(Values[l], length, batch, capacity));
        }

        return copy;
    }

    /// <summary>
    /// Keeps only the batch rows listed (ascending), moved to the front of the same memory; the tensors become views with the
    /// smaller batch, so the next run computes only those rows. No memory is allocated or freed: the original tensors stay
    /// owned and are released with the cache (a growing cache's are replaced by the next run's present outputs anyway).
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

        for (var l = 0; l < Keys.Length; l++)
        {
            Keys[l] = Own(CompactRows(Keys[l], rows));
            Values[l] = Own(CompactRows(Values[l], rows));
        }

        Batch = rows.Length;
    }

    private static unsafe OrtValue CompactRows(OrtValue source, ReadOnlySpan<int> rows)
    {
        var info = source.GetTensorTypeAndShape();
        var shape = info.Shape; // [B, H, T, D]
        var data = source.GetTensorMutableRawData();
        var rowBytes = data.Length / (int)shape[0];
        for (var i = 0; i < rows.Length; i++)
        {
            // rows[i] >= i, so a row only ever moves towards the front, onto a row that was already moved or dropped.
            if (rows[i] != i)
            {
                data.Slice(rows[i] * rowBytes, rowBytes).CopyTo(data.Slice(i * rowBytes, rowBytes));
            }
        }

        fixed (byte* start = data)
        {
            return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, info.ElementDataType, [rows.Length, shape[1], shape[2], shape[3]],
                (IntPtr)start, (long)rows.Length * rowBytes);
        }
    }

    private static OrtValue CopyRows(OrtValue source, int length, int batch, int capacity)
    {
        var info = source.GetTensorTypeAndShape();
        var shape = info.Shape; // [B, H, T, D]
        long heads = shape[1], total = shape[2], dim = shape[3];
        var target = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, info.ElementDataType, [batch, heads, capacity, dim]);
        var elementSize = info.ElementDataType is TensorElementType.Float16 or TensorElementType.BFloat16 ? 2 : 4;
        var src = source.GetTensorMutableRawData();
        var dst = target.GetTensorMutableRawData();
        var rowBytes = (int)(length * dim * elementSize);
        for (var b = 0; b < batch; b++)
        {
            for (var h = 0; h < heads; h++)
            {
                var from = (int)(h * total * dim * elementSize);
                var to = (int)(((b * heads) + h) * capacity * dim * elementSize);
                src.Slice(from, rowBytes).CopyTo(dst.Slice(to, rowBytes));
            }
        }

        return target;
    }

    /// <summary>Gets the bytes the cache's tensors occupy (its allocation, not only the positions held).</summary>
    public long Bytes
    {
        get
        {
            long total = 0;
            foreach (var tensor in Keys.Concat(Values))
            {
                total += tensor.GetTensorMutableRawData().Length;
            }

            return total;
        }
    }

    /// <summary>Allocates zero-filled [batch, kv_heads, length, head_dim] tensors holding <paramref name="length"/> positions (a growing cache).</summary>
    public static KvCache Zeroed(int layers, int batch, int kvHeads, int length, int headDim, TensorElementType type)
    {
        var cache = new KvCache(layers, batch) { Length = length, Capacity = length };
        for (var l = 0; l < layers; l++)
        {
            cache.Keys[l] = cache.Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, [batch, kvHeads, length, headDim]));
            cache.Values[l] = cache.Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, [batch, kvHeads, length, headDim]));
            cache.Keys[l].GetTensorMutableRawData().Clear();
            cache.Values[l].GetTensorMutableRawData().Clear();
        }

        return cache;
    }

    /// <summary>
    /// Copies <paramref name="count"/> positions of every layer and head from row <paramref name="sourceRow"/> at
    /// <paramref name="sourceStart"/> of <paramref name="source"/> to row <paramref name="targetRow"/> at <paramref name="targetStart"/>.
    /// </summary>
    public static void CopyPositions(KvCache source, int sourceRow, int sourceStart, KvCache target, int targetRow, int targetStart, int count)
    {
        for (var l = 0; l < source.Keys.Length; l++)
        {
            CopyPositions(source.Keys[l], sourceRow, sourceStart, target.Keys[l], targetRow, targetStart, count);
            CopyPositions(source.Values[l], sourceRow, sourceStart, target.Values[l], targetRow, targetStart, count);
        }
    }

    private static void CopyPositions(OrtValue source, int sourceRow, int sourceStart, OrtValue target, int targetRow, int targetStart, int count)
    {
        if (count == 0)
        {
            return;
        }

        var sourceShape = source.GetTensorTypeAndShape().Shape; // [B, H, T, D]
        var targetShape = target.GetTensorTypeAndShape().Shape;
        var src = source.GetTensorMutableRawData();
        var dst = target.GetTensorMutableRawData();
        var heads = (int)sourceShape[1];
        var sourceT = (int)sourceShape[2];
        var targetT = (int)targetShape[2];
        var position = src.Length / (int)(sourceShape[0] * heads * sourceT); // bytes per position (head_dim * element size)
        for (var h = 0; h < heads; h++)
        {
            var from = ((((sourceRow * heads) + h) * sourceT) + sourceStart) * position;
            var to = ((((targetRow * heads) + h) * targetT) + targetStart) * position;
            src.Slice(from, count * position).CopyTo(dst.Slice(to, count * position));
        }
    }

    private OrtValue Own(OrtValue value)
    {
        _owned.Add(value);
        return value;
    }

    private void ReleaseStorage()
    {
        _results?.Dispose();
        _results = null;
        foreach (var v in _owned)
        {
            v.Dispose();
        }

        _owned.Clear();
    }

    public void Dispose() => ReleaseStorage();
}
