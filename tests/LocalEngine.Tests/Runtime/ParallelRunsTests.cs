namespace Agents.LocalEngine.Tests.Runtime;

/// <summary>The threads that run the parts of a split batched step: every part once, each on its own thread, failures after all have finished.</summary>
public sealed class ParallelRunsTests
{
    [Fact]
    public void Every_part_runs_once_on_its_own_thread_and_part_zero_on_the_caller()
    {
        using var runs = new ParallelRuns(3);
        for (var round = 0; round < 3; round++)
        {
            var threads = new int[4];
            var counts = new int[4];
            runs.Run(4, p =>
            {
                threads[p] = Environment.CurrentManagedThreadId;
                Interlocked.Increment(ref counts[p]);
            });

            Assert.Equal([1, 1, 1, 1], counts);
            Assert.Equal(Environment.CurrentManagedThreadId, threads[0]);
            Assert.Equal(4, threads.Distinct().Count());
        }

        var some = new int[4];
        runs.Run(2, p => some[p]++);
        Assert.Equal([1, 1, 0, 0], some); // fewer parts than threads: the others stay idle
    }

    [Fact]
    public void A_failing_part_is_rethrown_after_every_part_has_finished_and_the_threads_go_on()
    {
        using var runs = new ParallelRuns(2);
        var slowFinished = false;
        var ex = Assert.Throws<InvalidOperationException>(() => runs.Run(3, p =>
        {
            if (p == 1)
            {
                throw new InvalidOperationException("part 1 failed");
            }

            if (p == 2)
            {
                Thread.Sleep(100);
                Volatile.Write(ref slowFinished, true);
            }
        }));

        Assert.Equal("part 1 failed", ex.Message);
        Assert.True(Volatile.Read(ref slowFinished));

        // The caller's own part failing wins over a worker's (the first by part number).
        var first = Assert.Throws<ArgumentException>(() => runs.Run(3, p => throw (p == 0 ? new ArgumentException("part 0") : new InvalidOperationException($"part {p}"))));
        Assert.Equal("part 0", first.Message);

        var ran = 0;
        runs.Run(3, _ => Interlocked.Increment(ref ran));
        Assert.Equal(3, ran);
    }

    [Fact]
    public void Bad_arguments_and_use_after_dispose_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelRuns(-1));
        var runs = new ParallelRuns(1);
        Assert.Equal(2, runs.MaxParts);
        Assert.Throws<ArgumentOutOfRangeException>(() => runs.Run(0, _ => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => runs.Run(3, _ => { }));
        runs.Run(2, _ => { });
        runs.Dispose();
        runs.Dispose();
        Assert.Throws<ObjectDisposedException>(() => runs.Run(1, _ => { }));
    }
}
