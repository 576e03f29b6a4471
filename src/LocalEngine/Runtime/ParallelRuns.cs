using System.Runtime.ExceptionServices;

namespace Agents.LocalEngine.Runtime;

/// <summary>
/// Dedicated threads that run the parts of a split batched step at the same time as the calling thread runs the first part.
/// Threads are started on first use and wait on an event between steps (a short spin, then the kernel), so an idle engine
/// costs no CPU. Not thread-safe: one caller (the engine's decode thread) at a time.
/// </summary>
internal sealed class ParallelRuns : IDisposable
{
    private readonly Worker[] _workers;
    private volatile bool _disposed;

    /// <param name="extraThreads">How many threads beside the caller's (the most parts a step may have, less one).</param>
    public ParallelRuns(int extraThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraThreads);
        _workers = new Worker[extraThreads];
    }

    /// <summary>Gets the most parts <see cref="Run"/> accepts.</summary>
    public int MaxParts => _workers.Length + 1;

    /// <summary>
    /// Runs <paramref name="body"/>(0) on the calling thread and <paramref name="body"/>(1 … <paramref name="parts"/> − 1) on
    /// the worker threads, and returns when all have finished. If any part throws, the first failing part's exception (by
    /// part number) is rethrown once every part has finished, so no part still runs when the caller handles it.
    /// </summary>
    public void Run(int parts, Action<int> body)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts, MaxParts);
        for (var p = 1; p < parts; p++)
        {
            var worker = _workers[p - 1] ??= Start(p);
            worker.Body = body;
            worker.Error = null;
            worker.Done.Reset();
            worker.Go.Set();
        }

        ExceptionDispatchInfo? first = null;
        try
        {
            body(0);
        }
        catch (Exception ex)
        {
            first = ExceptionDispatchInfo.Capture(ex);
        }

        for (var p = 1; p < parts; p++)
        {
            var worker = _workers[p - 1];
            worker.Done.Wait();
            if (first is null && worker.Error is { } error)
            {
                first = ExceptionDispatchInfo.Capture(error);
            }

            worker.Body = null;
            worker.Error = null;
        }

        first?.Throw();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var worker in _workers)
        {
            if (worker is null)
            {
                continue;
            }

            worker.Go.Set();
            worker.Thread.Join();
            worker.Go.Dispose();
            worker.Done.Dispose();
        }
    }

    private Worker Start(int part)
    {
        var worker = new Worker(part);
        worker.Thread = new Thread(() => Loop(worker))
        {
            IsBackground = true,
            Name = $"LocalOnnxEngine step part {part}",
        };
        worker.Thread.Start();
        return worker;
    }

    private void Loop(Worker worker)
    {
        while (true)
        {
            worker.Go.Wait();
            worker.Go.Reset();
            if (_disposed)
            {
                return;
            }

            try
            {
                worker.Body!(worker.Part);
            }
            catch (Exception ex)
            {
                worker.Error = ex;
            }
            finally
            {
                worker.Done.Set();
            }
        }
    }

    /// <summary>One worker thread and the part it runs.</summary>
    private sealed class Worker(int part)
    {
        public int Part { get; } = part;

        public ManualResetEventSlim Go { get; } = new(false);

        public ManualResetEventSlim Done { get; } = new(false);

        public Thread Thread { get; set; } = null!;

        public Action<int>? Body { get; set; }

        public Exception? Error { get; set; }
    }
}
