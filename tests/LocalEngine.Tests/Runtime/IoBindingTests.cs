using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine.Tests.Runtime;

/// <summary>
/// Device-resident decoding (issue 13 item 1): every run goes through one IOBinding to buffers on the provider's memory that
/// are reused from step to step, and the tokens stay exactly the reference model's.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class IoBindingTests(ModelFixture models)
{
    private static readonly int[] Prompt = [5, 77, 300, 12, 499, 3, 250];

    [Fact]
    public void A_shared_buffer_is_the_past_and_the_present_so_decode_steps_allocate_nothing()
    {
        using var greedy = new GreedyDecoder(models.Shared);
        greedy.Step(); // the first step allocates the decode logits buffer
        while (greedy.Cache.Length < 33)
        {
            greedy.Step(); // past 32 positions the buffer holds 64: the steps below fit
        }

        Assert.Equal(64, greedy.Cache.Capacity);
        var memory = greedy.Session.Memory;
        var allocations = memory.Allocations;
        var views = memory.ViewsCreated;
        var key = greedy.Cache.BufferAddress(0);
        const int Steps = 24;
        for (var i = 0; i < Steps; i++)
        {
            greedy.Step();
            Assert.Equal(key, greedy.Cache.BufferAddress(0));
        }

        Assert.Equal(allocations, memory.Allocations);
        Assert.Equal(views, memory.ViewsCreated); // no new device tensor either: KV and logits views are reused as they are
        Assert.Equal(33 + Steps, greedy.Cache.Length);
        greedy.AssertReferenceLogits();
    }

    [Theory]
    [InlineData("shared")]
    [InlineData("fused")]
    public void A_shared_buffer_grows_by_doubling_up_to_the_context_keeping_every_position_and_shrinks_when_kept(string layout)
    {
        using var greedy = new GreedyDecoder(layout == "shared" ? models.Shared : models.Qwen);
        Assert.True(greedy.Cache.IsShared);
        Assert.Equal(16, greedy.Cache.Capacity); // the prompt's 5 positions (and the next) fit in 16
        Assert.Equal(greedy.Session.Model.ContextLength, greedy.Cache.MaxCapacity);
        var addresses = new List<nint> { greedy.Cache.BufferAddress(0) };
        var capacities = new List<int> { 16 };
        while (greedy.Cache.Length < 40)
        {
            greedy.Step();
            if (greedy.Cache.Capacity != capacities[^1])
            {
                capacities.Add(greedy.Cache.Capacity);
                addresses.Add(greedy.Cache.BufferAddress(0));
            }
            else
            {
                Assert.Equal(addresses[^1], greedy.Cache.BufferAddress(0)); // written in place between growths
            }

            greedy.AssertReferenceLogits();
        }

        Assert.Equal([16, 32, 64], capacities);

        // Kept for later (the prefix cache), it holds its positions and room for one more; it continues exactly.
        greedy.Cache.Shrink();
        Assert.Equal(41, greedy.Cache.Capacity);
        var session = greedy.Session;
        Assert.Equal(2L * session.Layers * 41 * session.KvHeads * session.HeadDim * sizeof(float), greedy.Cache.Bytes);
        greedy.Step();
        greedy.Step();
        greedy.AssertReferenceLogits();
        Assert.Equal(64, greedy.Cache.Capacity);

        var ex = Assert.Throws<InvalidOperationException>(() => greedy.Cache.EnsureCapacity(greedy.Cache.MaxCapacity + 1));
        Assert.Contains($"at most {greedy.Cache.MaxCapacity} positions", ex.Message, StringComparison.Ordinal);
        Assert.Equal(64, greedy.Cache.Capacity);
    }

    [Fact]
    public void A_growing_cache_alternates_between_two_buffers_and_allocates_only_when_its_length_doubles()
    {
        using var greedy = new GreedyDecoder(models.Qwen, fuseAttention: false);

        // Grow past 32 positions: from here both buffers hold 64 positions.
        while (greedy.Cache.Length < 34)
        {
            greedy.Step();
        }

        var allocations = greedy.Session.Memory.Allocations;
        var addresses = new List<nint>();
        while (greedy.Cache.Length < 64)
        {
            greedy.Step();
            addresses.Add(greedy.Cache.BufferAddress(0));
        }

        Assert.Equal(allocations, greedy.Session.Memory.Allocations);
        Assert.Equal(2, addresses.Distinct().Count());
        for (var i = 1; i < addresses.Count; i++)
        {
            Assert.NotEqual(addresses[i - 1], addresses[i]); // the present of one step is the past of the next
        }

        greedy.AssertReferenceLogits();
    }

    [Fact]
    public void A_growing_cache_kept_for_later_shrinks_to_the_positions_it_holds_and_still_continues_exactly()
    {
        using var greedy = new GreedyDecoder(models.Qwen, fuseAttention: false);
        while (greedy.Cache.Length < 20)
        {
            greedy.Step();
        }

        // Two buffers of 32 positions per tensor before; one of exactly 20 after.
        var session = greedy.Session;
        var exact = 2L * session.Layers * 20 * session.KvHeads * session.HeadDim * sizeof(float);
        Assert.True(greedy.Cache.Bytes > exact);
        greedy.Cache.Shrink();
        Assert.Equal(exact, greedy.Cache.Bytes);
        greedy.Step();
        greedy.AssertReferenceLogits();
    }

    [Theory]
    [InlineData("qwen")]
    [InlineData("qwen-unfused")]
    [InlineData("shared")]
    public async Task Greedy_tokens_through_the_binding_match_the_reference_across_buffer_growth(string layout)
    {
        var model = layout == "shared" ? models.Shared : models.Qwen;
        using var engine = new LocalOnnxEngine(model.Directory, new LocalOnnxEngineOptions { FuseAttention = layout != "qwen-unfused" });
        Assert.Equal(layout == "qwen", engine.Descriptor.AttentionFused);
        const int Count = 40; // the growing cache's buffers double at 16 and 32 positions
        var result = await engine.GenerateAsync(Prompt, new LocalGenerationSettings { MaxTokens = Count, MinTokens = Count, DoSample = false });

        var eos = engine.EndOfSequenceTokenIds;
        var seq = Prompt.ToList();
        var expected = new List<int>();
        for (var i = 0; i < Count; i++)
        {
            var last = ReferenceLlama.Forward(model.Weights, seq)[^1];
            foreach (var id in eos)
            {
                last[id] = float.NegativeInfinity;
            }

            var next = DecoderSessionTests.ArgMax(last);
            expected.Add(next);
            seq.Add(next);
        }

        Assert.Equal(expected, result.TokenIds);
    }

    [Theory]
    [InlineData("qwen")]
    [InlineData("shared")]
    public void Rows_joining_and_leaving_the_bound_batch_keep_the_reference_logits(string layout)
    {
        var model = layout == "qwen" ? models.Qwen : models.Shared;
        using var engine = new LocalOnnxEngine(model.Directory);
        var session = engine.Session;
        var v = session.VocabSize;
        using var ro = new RunOptions();
        using var batch = new BatchKvCache(session);
        var logits = new float[3 * v];
        List<int>[] sequences = [[5, 77, 300], [12, 499, 3, 250, 8, 9], [42]];

        void Join(int row)
        {
            using var cache = session.CreateCache(1);
            var prompt = sequences[row];
            session.Forward(prompt.ToArray(), prompt.Count, cache, ro, logits.AsSpan(0, v));
            prompt.Add(DecoderSessionTests.ArgMax(logits.AsSpan(0, v)));
            batch.Add(cache);
        }

        void Step(params int[] rows)
        {
            var ids = rows.Select(r => sequences[r][^1]).ToArray();
            batch.Step(ids, ro, logits.AsSpan(0, rows.Length * v));
            for (var i = 0; i < rows.Length; i++)
            {
                var expected = ReferenceLlama.Forward(model.Weights, sequences[rows[i]])[^1];
                DecoderSessionTests.AssertClose(expected, logits.AsSpan(i * v, v));
                sequences[rows[i]].Add(DecoderSessionTests.ArgMax(expected));
            }
        }

        Join(0);
        Step(0);
        Join(1);
        Step(0, 1);
        Step(0, 1);
        Join(2);
        Step(0, 1, 2);

        // Row 1 (the longest) leaves: the others go on in place.
        batch.Keep([0, 2]);
        Step(0, 2);
        var allocations = session.Memory.Allocations;
        Step(0, 2);
        Step(0, 2);
        if (layout == "shared")
        {
            Assert.Equal(allocations, session.Memory.Allocations);
        }

        batch.Keep([1]);
        Step(2);
        Assert.Equal(1, batch.Rows);
    }

    /// <summary>Greedy decoding straight on the session: the prompt's prefill, then one token per <see cref="Step"/>.</summary>
    private sealed class GreedyDecoder : IDisposable
    {
        private readonly TestModel _model;
        private readonly LocalOnnxEngine _engine;
        private readonly RunOptions _runOptions = new();
        private readonly float[] _logits;
        private readonly List<int> _tokens = [.. Prompt];

        public GreedyDecoder(TestModel model, bool fuseAttention = true)
        {
            _model = model;
            _engine = new LocalOnnxEngine(model.Directory, new LocalOnnxEngineOptions { FuseAttention = fuseAttention });
            _logits = new float[Session.VocabSize];
            Cache = Session.CreateCache(1);
            Session.Forward(Prompt, Prompt.Length, Cache, _runOptions, _logits);
            _tokens.Add(DecoderSessionTests.ArgMax(_logits));
        }

        public DecoderSession Session => _engine.Session;

        public KvCache Cache { get; }

        /// <summary>Feeds the last chosen token and chooses the next.</summary>
        public void Step()
        {
            Session.Forward([_tokens[^1]], 1, Cache, _runOptions, _logits);
            _tokens.Add(DecoderSessionTests.ArgMax(_logits));
        }

        /// <summary>The last logits are the reference model's for every token fed so far.</summary>
        public void AssertReferenceLogits() =>
            DecoderSessionTests.AssertClose(ReferenceLlama.Forward(_model.Weights, _tokens.Take(_tokens.Count - 1).ToArray())[^1], _logits);

        public void Dispose()
        {
            Cache.Dispose();
            _runOptions.Dispose();
            _engine.Dispose();
        }
    }
}
