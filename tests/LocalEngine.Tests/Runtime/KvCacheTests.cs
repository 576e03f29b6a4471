using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.Tests.Runtime;

public sealed class KvCacheTests
{
    [Fact]
    public void KeepRows_moves_the_kept_rows_to_the_front_of_the_same_memory()
    {
        using var cache = KvCache.Shared(layers: 1, batch: 4, kvHeads: 2, capacity: 3, headDim: 2, TensorElementType.Float);
        var data = cache.Keys[0].GetTensorMutableDataAsSpan<float>();
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = i; // row b holds b*12 .. b*12+11
        }

        cache.KeepRows([1, 3]);

        Assert.Equal(2, cache.Batch);
        Assert.Equal([2L, 2, 3, 2], cache.Keys[0].GetTensorTypeAndShape().Shape);
        var kept = cache.Keys[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(Enumerable.Range(12, 12).Concat(Enumerable.Range(36, 12)).Select(x => (float)x), kept);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 0, 1, 2, 3, 4 })]
    [InlineData(new[] { 2, 1 })]
    [InlineData(new[] { 1, 1 })]
    [InlineData(new[] { 4 })]
    [InlineData(new[] { -1 })]
    public void KeepRows_refuses_rows_that_are_not_distinct_ascending_batch_rows(int[] rows)
    {
        using var cache = KvCache.Shared(layers: 1, batch: 4, kvHeads: 1, capacity: 2, headDim: 2, TensorElementType.Float);
        var ex = Assert.ThrowsAny<ArgumentException>(() => cache.KeepRows(rows));
        Assert.Contains("row", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, cache.Batch);
    }
}
