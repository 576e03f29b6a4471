using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.Runtime;

/// <summary>
/// Memory on the execution provider's device: the KV cache and the logits buffer live here and are bound to the session
/// through <see cref="OrtIoBinding"/>. The CPU and CUDA paths share every caller; only the allocator, its memory info and
/// how bytes move between buffers differ (a plain copy on the CPU, <see cref="OrtEnv.CopyTensors"/> on a device).
/// </summary>
/// <remarks>
/// Buffers are raw allocations (<see cref="DeviceBuffer"/>); tensors are views over them (<see cref="View"/>), which
/// own no memory, so the same buffer can be the model's past input and its present output, or hold a smaller batch after
/// rows leave. The counters let tests check that decoding reuses its buffers instead of allocating per token.
/// </remarks>
internal sealed unsafe class DeviceMemory : IDisposable
{
    private const string CudaAllocatorName = "Cuda";

    private readonly OrtAllocator _allocator;
    private readonly OrtMemoryInfo? _ownedInfo;
    private readonly bool _ownsAllocator;
    private long _allocations;
    private long _views;
    private byte[]? _zeros;

    private DeviceMemory(OrtAllocator allocator, OrtMemoryInfo? ownedInfo, bool ownsAllocator, bool isHost)
    {
        _allocator = allocator;
        _ownedInfo = ownedInfo;
        _ownsAllocator = ownsAllocator;
        IsHost = isHost;
    }

    /// <summary>Gets the memory info of the device's buffers.</summary>
    public OrtMemoryInfo Info => _allocator.Info;

    /// <summary>Gets a value indicating whether the buffers are ordinary host memory (the CPU provider), readable in place.</summary>
    public bool IsHost { get; }

    /// <summary>Gets the number of buffers allocated so far (tests check that decoding does not allocate per token).</summary>
    public long Allocations => Interlocked.Read(ref _allocations);

    /// <summary>Gets the number of tensor views created so far (views own no memory; a decode step needs a few, for shapes that changed).</summary>
    public long ViewsCreated => Interlocked.Read(ref _views);

    /// <summary>Host memory through ONNX Runtime's default CPU allocator.</summary>
    public static DeviceMemory Cpu() => new(OrtAllocator.DefaultInstance, null, ownsAllocator: false, isHost: true);

    /// <summary>The memory of the provider <paramref name="provider"/> runs <paramref name="session"/> on.</summary>
    public static DeviceMemory For(InferenceSession session, LocalExecutionProvider provider, int deviceId)
    {
        if (provider != LocalExecutionProvider.Cuda)
        {
            return Cpu();
        }

        var info = new OrtMemoryInfo(CudaAllocatorName, OrtAllocatorType.DeviceAllocator, deviceId, OrtMemType.Default);
        try
        {
            return new DeviceMemory(new OrtAllocator(session, info), info, ownsAllocator: true, isHost: false);
        }
        catch
        {
            info.Dispose();
            throw;
        }
    }

    /// <summary>Allocates <paramref name="bytes"/> bytes (uninitialised).</summary>
    public DeviceBuffer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Interlocked.Increment(ref _allocations);

        // Never zero bytes: a view over an empty buffer still needs a valid address.
        bytes = Math.Max(bytes, 64);
        var storage = OrtValue.CreateAllocatedTensorValue(_allocator, TensorElementType.UInt8, [bytes]);
        try
        {
            return new DeviceBuffer(storage, Info, bytes);
        }
        catch
        {
            storage.Dispose();
            throw;
        }
    }

    /// <summary>A tensor of <paramref name="shape"/> over the buffer's bytes from <paramref name="offset"/>.</summary>
    public OrtValue View(DeviceBuffer buffer, long offset, TensorElementType type, long[] shape)
    {
        long bytes = ElementSize(type);
        foreach (var d in shape)
        {
            bytes *= d;
        }

        if (offset + bytes > buffer.Size)
        {
            throw new InvalidOperationException($"A [{string.Join(", ", shape)}] view needs {bytes} bytes at {offset}; the buffer has {buffer.Size}.");
        }

        Interlocked.Increment(ref _views);
        return OrtValue.CreateTensorValueWithData(buffer.Info, type, shape, buffer.Pointer + (nint)offset, bytes);
    }

    /// <summary>Copies <paramref name="bytes"/> bytes between two places in this device's buffers (they may overlap only if <paramref name="to"/> is before <paramref name="from"/>).</summary>
    public void Copy(nint from, nint to, long bytes)
    {
        if (bytes == 0 || from == to)
        {
            return;
        }

        if (IsHost)
        {
            Buffer.MemoryCopy((void*)from, (void*)to, bytes, bytes);
            return;
        }

        using var source = OrtValue.CreateTensorValueWithData(Info, TensorElementType.UInt8, [bytes], from, bytes);
        using var target = OrtValue.CreateTensorValueWithData(Info, TensorElementType.UInt8, [bytes], to, bytes);
        OrtEnv.Instance().CopyTensors([source], [target], null);
    }

    /// <summary>Sets <paramref name="bytes"/> bytes at <paramref name="at"/> to zero.</summary>
    public void Clear(nint at, long bytes)
    {
        if (IsHost)
        {
            NativeMemory.Clear((void*)at, (nuint)bytes);
            return;
        }

        _zeros ??= GC.AllocateArray<byte>(1 << 20, pinned: true);
        for (long done = 0; done < bytes; done += _zeros.Length)
        {
            var chunk = Math.Min(_zeros.Length, bytes - done);
            fixed (byte* zeros = _zeros)
            {
                using var source = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.UInt8, [chunk], (nint)zeros, chunk);
                using var target = OrtValue.CreateTensorValueWithData(Info, TensorElementType.UInt8, [chunk], at + (nint)done, chunk);
                OrtEnv.Instance().CopyTensors([source], [target], null);
            }
        }
    }

    /// <summary>
    /// Host bytes of a device region: the region itself on the CPU (no copy), otherwise a copy into <paramref name="staging"/>
    /// (grown as needed), which is what sampling reads.
    /// </summary>
    public ReadOnlySpan<byte> ToHost(nint at, int bytes, ref byte[] staging)
    {
        if (IsHost)
        {
            return new ReadOnlySpan<byte>((void*)at, bytes);
        }

        if (staging.Length < bytes)
        {
            staging = GC.AllocateArray<byte>(Math.Max(bytes, staging.Length * 2), pinned: true);
        }

        fixed (byte* host = staging)
        {
            using var source = OrtValue.CreateTensorValueWithData(Info, TensorElementType.UInt8, [bytes], at, bytes);
            using var target = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.UInt8, [bytes], (nint)host, bytes);
            OrtEnv.Instance().CopyTensors([source], [target], null);
        }

        return staging.AsSpan(0, bytes);
    }

    /// <summary>Bytes per element of the tensor types the engine uses for caches and logits.</summary>
    public static int ElementSize(TensorElementType type) => type switch
    {
        TensorElementType.Float16 or TensorElementType.BFloat16 => 2,
        TensorElementType.Float or TensorElementType.Int32 => 4,
        TensorElementType.Int64 or TensorElementType.Double => 8,
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        _ => throw new NotSupportedException($"Tensors of {type} are not supported."),
    };

    public void Dispose()
    {
        if (_ownsAllocator)
        {
            _allocator.Dispose();
        }

        _ownedInfo?.Dispose();
    }
}
