using System.ComponentModel.DataAnnotations;
using Agents.LocalEngine.Chat;
using Microsoft.Extensions.Options;

namespace Agents.LocalEngine;

/// <summary>
/// Options of <see cref="LocalOnnxEngine"/>. Defaults: CPU, <see cref="ModelVariant.Default"/>, half the cores as intra-op threads without
/// spinning, prefix reuse on, batches of up to 8 sequences, 256 MiB of cached conversations. Invalid values throw <see cref="OptionsValidationException"/>.
/// </summary>
public sealed class LocalOnnxEngineOptions
{
    /// <summary>Gets or sets which ONNX file of an Optimum export to load. Default <see cref="ModelVariant.Default"/>.</summary>
    [EnumDataType(typeof(ModelVariant))]
    public ModelVariant Variant { get; set; } = ModelVariant.Default;

    /// <summary>Gets or sets the execution provider. Default <see cref="LocalExecutionProvider.Cpu"/>.</summary>
    [EnumDataType(typeof(LocalExecutionProvider))]
    public LocalExecutionProvider ExecutionProvider { get; set; } = LocalExecutionProvider.Cpu;

    /// <summary>Gets or sets the GPU device id for <see cref="LocalExecutionProvider.Cuda"/>. Default 0.</summary>
    [Range(0, int.MaxValue)]
    public int DeviceId { get; set; }

    /// <summary>Gets the provider options passed to the execution provider (for example CUDA's <c>gpu_mem_limit</c>).</summary>
    public IDictionary<string, string> ProviderOptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the intra-op thread count. 0 (default): half the processor count, between 1 and 16 (what
    /// onnxruntime-genai chooses): a decode step is too short to gain from threads that other processes may preempt,
    /// and on a shared CPU one preempted worker stalls the whole step (docs/benchmarks.md, "Shared CPU").
    /// </summary>
    [Range(0, int.MaxValue)]
    public int IntraOpNumThreads { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether ONNX Runtime's intra-op worker threads spin while they wait for work
    /// (<c>session.intra_op.allow_spinning</c>). Default false: spinning workers burn the cores that the host's other
    /// work (browsers, indexes, other requests) needs, for a gain of microseconds per step.
    /// </summary>
    public bool IntraOpSpinning { get; set; }

    /// <summary>
    /// Gets or sets how many ONNX Runtime runs at the same time one batched step (or batched prefill) is split into, each over
    /// a contiguous part of the batch's rows on its own thread. The rows of a decoder are independent, so the parts compute
    /// exactly what one run computes; on the CPU two half-batch runs on two cores finish a wide step sooner than one run whose
    /// matrix products ONNX Runtime spreads over intra-op threads (docs/benchmarks.md, "Parallel batch runs"). A single
    /// sequence is never split. 0 (default): on the CPU provider the processor count divided by the intra-op thread count
    /// (between 1 and 8), on CUDA 1 (the GPU runs the whole batch at once). 1 turns splitting off; at most 64.
    /// </summary>
    /// <remarks>
    /// While a split step runs, every part's thread is busy: on a CPU shared with other busy processes, the step waits for
    /// its slowest part. Set 1 to keep the engine on one run at a time.
    /// </remarks>
    [Range(0, 64)]
    public int ParallelBatchRuns { get; set; }

    /// <summary>
    /// Gets or sets how long the previous decode step must have taken for the next batched run to be split
    /// (<see cref="ParallelBatchRuns"/>): below it, handing parts to other threads costs more than they gain (a model so small
    /// that a step takes a few hundred microseconds). Default 250 µs; between zero (split whenever the batch allows) and one day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ParallelBatchMinRunTime { get; set; } = TimeSpan.FromMicroseconds(250);

    /// <summary>
    /// Gets or sets a value indicating whether an Optimum export's attention is rewritten at load into ONNX Runtime's fused
    /// GroupQueryAttention kernel with a KV buffer that past and present share (the form onnxruntime-genai's builder exports).
    /// Default true: a decode step then runs one kernel per layer instead of the export's dozen small operators and writes the
    /// cache in place instead of copying it (docs/benchmarks.md, "Attention fusion"). The projections stay as exported; the rotary
    /// embedding moves into the kernel only where running the export's own rotary ops proves it is the kernel's rotation, so the
    /// tokens are the same. A graph that does not match the eager-attention pattern (a merged decoder, a
    /// sliding window, a scale that depends on the input, ...) is loaded as it is, and the log says why. Set false to always run the
    /// export unchanged.
    /// </summary>
    public bool FuseAttention { get; set; } = true;

    /// <summary>Gets or sets the largest ONNX file <see cref="FuseAttention"/> rewrites (weights inside the file are copied while it does). Default 1 GiB; tests lower it.</summary>
    internal long MaxFusedModelFileBytes { get; set; } = 1L << 30;

    /// <summary>Gets or sets a value indicating whether the rotary embedding is moved into the fused kernel whatever the head size (tests: a fused graph that ONNX Runtime refuses when it first runs).</summary>
    internal bool FuseRotaryAnyHeadSize { get; set; }

    /// <summary>Gets extra ONNX Runtime session configuration entries, applied last (benchmarks try settings with it).</summary>
    internal Dictionary<string, string> SessionConfigEntries { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets ONNX Runtime's memory-pattern planning (<c>SessionOptions.EnableMemoryPattern</c>); null: ONNX Runtime's default (benchmarks compare).</summary>
    internal bool? EnableMemoryPattern { get; set; }

    /// <summary>Gets or sets ONNX Runtime's CPU memory arena (<c>SessionOptions.EnableCpuMemArena</c>); null: ONNX Runtime's default (benchmarks compare).</summary>
    internal bool? EnableCpuMemArena { get; set; }

    /// <summary>The intra-op thread count that <see cref="IntraOpNumThreads"/> = 0 stands for on a machine with <paramref name="processorCount"/> processors.</summary>
    internal static int DefaultIntraOpNumThreads(int processorCount) => Math.Clamp(processorCount / 2, 1, 16);

    /// <summary>The intra-op thread count the session gets.</summary>
    internal int EffectiveIntraOpNumThreads => IntraOpNumThreads > 0 ? IntraOpNumThreads : DefaultIntraOpNumThreads(Environment.ProcessorCount);

    /// <summary>The most parts a batched run is split into (see <see cref="ParallelBatchRuns"/>).</summary>
    internal int EffectiveParallelBatchRuns => ParallelBatchRuns > 0 ? ParallelBatchRuns
        : ExecutionProvider == LocalExecutionProvider.Cuda ? 1
        : DefaultParallelBatchRuns(Environment.ProcessorCount, EffectiveIntraOpNumThreads);

    /// <summary>The parts <see cref="ParallelBatchRuns"/> = 0 stands for on the CPU with <paramref name="processorCount"/> processors and <paramref name="intraOpThreads"/> intra-op threads per run.</summary>
    internal static int DefaultParallelBatchRuns(int processorCount, int intraOpThreads) => Math.Clamp(processorCount / Math.Max(1, intraOpThreads), 1, 8);

    /// <summary>Gets or sets the chat template family; <see cref="ChatTemplateFamily.Auto"/> (default) chooses from the model's configuration.</summary>
    [EnumDataType(typeof(ChatTemplateFamily))]
    public ChatTemplateFamily TemplateFamily { get; set; } = ChatTemplateFamily.Auto;

    /// <summary>Gets or sets a formatter that replaces the built-in chat templates. Default null.</summary>
    public IChatPromptFormatter? PromptFormatter { get; set; }

    /// <summary>Gets or sets a value indicating whether the KV cache of the previous request is reused when the next prompt extends it. Default true.</summary>
    public bool EnablePrefixReuse { get; set; } = true;

    /// <summary>
    /// Gets or sets how many requests may wait for a place in the batch (see <see cref="MaxBatchSize"/>); a request beyond that
    /// fails at once with <see cref="InvalidOperationException"/> (back-pressure). Null (default): no limit; at least 0.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int? MaxQueuedRequests { get; set; }

    /// <summary>Gets or sets the largest <c>MaxTokens</c> a request may ask for; more fails with <see cref="ArgumentOutOfRangeException"/>. Null (default): no limit.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxTokensPerRequest { get; set; }

    /// <summary>
    /// Gets or sets the most sequences decoded together in one batched step (rows of all running requests; a request asking
    /// for n sequences takes n rows). Requests beyond it wait for rows to finish; a request asking for more fails at once with
    /// <see cref="ArgumentOutOfRangeException"/>. Default 8; between 1 and 256.
    /// </summary>
    [Range(1, 256)]
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>
    /// Gets or sets how many prefill runs admit waiting requests into the batch between two decode steps: each run holds up
    /// the running rows for its duration, so 1 (default) alternates fairly between newcomers and the running batch, in arrival
    /// order; larger values fill the batch faster. Single-sequence requests waiting together share one run (their prompts
    /// padded to the longest, as long as padding does not exceed the prompts' own tokens), so one run may admit several.
    /// Between 1 and 256.
    /// </summary>
    [Range(1, 256)]
    public int MaxPrefillsPerStep { get; set; } = 1;

    /// <summary>
    /// Gets or sets the bytes of KV cache kept for recent conversations (the prefix cache, least recently used dropped first),
    /// beside the running batch's own cache. A conversation larger than this is not kept. Default 256 MiB; 0 keeps none.
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long KvCacheBudgetBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Gets or sets the time provider used for timings. Default <see cref="TimeProvider.System"/>.</summary>
    [Required]
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the failures name it.</exception>
    public void Validate()
    {
        var result = new LocalOnnxEngineOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(LocalOnnxEngineOptions), typeof(LocalOnnxEngineOptions), result.Failures);
        }
    }
}
