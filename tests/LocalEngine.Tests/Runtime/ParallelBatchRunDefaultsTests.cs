namespace Agents.LocalEngine.Tests.Runtime;

/// <summary>How many parts a batched run is split into when <see cref="LocalOnnxEngineOptions.ParallelBatchRuns"/> is left at 0.</summary>
public sealed class ParallelBatchRunDefaultsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 2)] // this CI machine: one intra-op thread per run, two runs at once
    [InlineData(16, 8, 2)]
    [InlineData(6, 4, 1)]
    [InlineData(64, 1, 8)] // at most 8
    public void On_the_cpu_the_processors_are_divided_by_the_threads_of_one_run(int processors, int threads, int expected) =>
        Assert.Equal(expected, LocalOnnxEngineOptions.DefaultParallelBatchRuns(processors, threads));

    [Fact]
    public void Cuda_runs_the_whole_batch_at_once_and_an_explicit_value_wins()
    {
        Assert.Equal(1, new LocalOnnxEngineOptions { ExecutionProvider = LocalExecutionProvider.Cuda }.EffectiveParallelBatchRuns);
        Assert.Equal(3, new LocalOnnxEngineOptions { ExecutionProvider = LocalExecutionProvider.Cuda, ParallelBatchRuns = 3 }.EffectiveParallelBatchRuns);
        Assert.Equal(1, new LocalOnnxEngineOptions { ParallelBatchRuns = 1 }.EffectiveParallelBatchRuns);
        Assert.Equal(0, new LocalOnnxEngineOptions().ParallelBatchRuns);
        Assert.Equal(
            LocalOnnxEngineOptions.DefaultParallelBatchRuns(Environment.ProcessorCount, new LocalOnnxEngineOptions().EffectiveIntraOpNumThreads),
            new LocalOnnxEngineOptions().EffectiveParallelBatchRuns);
    }
}
