using Microsoft.ML.OnnxRuntime.Tensors;

namespace Agents.LocalEngine.Tests.Runtime;

/// <summary>The running batch's cache layout: rows of different lengths right-aligned (growing cache) with zero-filled unused positions.</summary>
[Collection(ModelCollection.Name)]
public sealed class BatchKvCacheTests(ModelFixture models)
{
    /// <summary>A one-row cache whose every value is 1000 * tag + position.</summary>
    private static KvCache Filled(DecoderSession session, int length, int tag)
    {
        var cache = KvCache.Zeroed(session.Layers, 1, session.KvHeads, length, session.HeadDim, TensorElementType.Float);
        foreach (var tensor in cache.Keys.Concat(cache.Values))
        {
            var data = tensor.GetTensorMutableDataAsSpan<float>();
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (1000 * tag) + (i / session.HeadDim % length);
            }
        }

        return cache;
    }

    /// <summary>Values at [row, head 0, position, dim 0] of layer 0's keys.</summary>
    private static float[] Row(KvCache cache, int row, int length, DecoderSession session)
    {
        var data = cache.Keys[0].GetTensorDataAsSpan<float>();
        var rowStart = row * session.KvHeads * length * session.HeadDim;
        var values = new float[length];
        for (var p = 0; p < length; p++)
        {
            values[p] = data[rowStart + (p * session.HeadDim)];
        }

        return values;
    }

    [Fact]
    public void Rows_of_different_lengths_are_right_aligned_and_trimmed_when_the_longest_leaves()
    {
        using var engine = new LocalOnnxEngine(models.Qwen.Directory);
        var session = engine.Session;
        using var batch = new BatchKvCache(session);
        using (var a = Filled(session, 3, 1))
        {
            batch.Add(a);
        }

        using (var b = Filled(session, 5, 2))
        {
            batch.Add(b);
        }

        Assert.Equal(5, batch.Length);
        Assert.Equal([3, 5], new[] { batch.RowLength(0), batch.RowLength(1) });

        using (var row0 = batch.CopyRow(0))
        {
            Assert.Equal(3, row0.Length);
            Assert.Equal([1000f, 1001, 1002], Row(row0, 0, 3, session));
        }

        using (var row1 = batch.CopyRow(1))
        {
            Assert.Equal([2000f, 2001, 2002, 2003, 2004], Row(row1, 0, 5, session));
        }

        using (var c = Filled(session, 4, 3))
        {
            batch.Add(c);
        }

        // The longest row leaves: the positions only it used are cut off, the others keep their values.
        batch.Keep([0, 2]);
        Assert.Equal(4, batch.Length);
        Assert.Equal(2, batch.Rows);
        using (var row0 = batch.CopyRow(0))
        {
            Assert.Equal([1000f, 1001, 1002], Row(row0, 0, 3, session));
        }

        using (var row1 = batch.CopyRow(1))
        {
            Assert.Equal([3000f, 3001, 3002, 3003], Row(row1, 0, 4, session));
        }

        batch.Keep([]);
        Assert.Equal(0, batch.Rows);
        Assert.Equal(0, batch.Length);
    }
}
