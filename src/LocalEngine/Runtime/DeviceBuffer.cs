using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine.Runtime;

/// <summary>
/// Bytes on the execution device, allocated once by <see cref="DeviceMemory.Allocate"/> and viewed as tensors of any shape
/// that fits (<see cref="DeviceMemory.View"/>). Only the address is taken on the managed side, never the bytes themselves,
/// so the memory may be a GPU's.
/// </summary>
internal sealed unsafe class DeviceBuffer : IDisposable
{
    private readonly OrtValue _storage;

    public DeviceBuffer(OrtValue storage, OrtMemoryInfo info, long size)
    {
        _storage = storage;
        Info = info;
        Size = size;

        // The address of the tensor's data; GetTensorMutableRawData does not read device memory.
        Pointer = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(storage.GetTensorMutableRawData()));
    }

    /// <summary>Gets the address of the first byte.</summary>
    public nint Pointer { get; }

    /// <summary>Gets the number of bytes.</summary>
    public long Size { get; }

    /// <summary>Gets the memory the bytes are in.</summary>
    public OrtMemoryInfo Info { get; }

    public void Dispose() => _storage.Dispose();
}
