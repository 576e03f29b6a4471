using Agents.LocalEngine.Chat;

namespace Agents.LocalEngine;

/// <summary>Options of <see cref="LocalOnnxEngine"/>. Defaults: CPU, <see cref="ModelVariant.Default"/>, half the cores as intra-op threads without spinning, prefix reuse on.</summary>
public sealed class LocalOnnxEngineOptions
{
    /// <summary>Gets or sets which ONNX file of an Optimum export to load. Default <see cref="ModelVariant.Default"/>.</summary>
    public ModelVariant Variant { get; set; } = ModelVariant.Default;

    /// <summary>Gets or sets the execution provider. Default <see cref="LocalExecutionProvider.Cpu"/>.</summary>
    public LocalExecutionProvider ExecutionProvider { get; set; } = LocalExecutionProvider.Cpu;

    /// <summary>Gets or sets the GPU device id for <see cref="LocalExecutionProvider.Cuda"/>. Default 0.</summary>
    public int DeviceId { get; set; }

    /// <summary>Gets the provider options passed to the execution provider (for example CUDA's <c>gpu_mem_limit</c>).</summary>
    public IDictionary<string, string> ProviderOptions { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the intra-op thread count. 0 (default): half the processor count, between 1 and 16 (what
    /// onnxruntime-genai chooses): a decode step is too short to gain from threads that other processes may preempt,
    /// and on a shared CPU one preempted worker stalls the whole step (docs/benchmarks.md, "Shared CPU").
    /// </summary>
    public int IntraOpNumThreads { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether ONNX Runtime's intra-op worker threads spin while they wait for work
    /// (<c>session.intra_op.allow_spinning</c>). Default false: spinning workers burn the cores that the host's other
    /// work (browsers, indexes, other requests) needs, for a gain of microseconds per step.
    /// </summary>
    public bool IntraOpSpinning { get; set; }

    /// <summary>Gets extra ONNX Runtime session configuration entries, applied last (benchmarks try settings with it).</summary>
    internal Dictionary<string, string> SessionConfigEntries { get; } = new(StringComparer.Ordinal);

    /// <summary>The intra-op thread count that <see cref="IntraOpNumThreads"/> = 0 stands for on a machine with <paramref name="processorCount"/> processors.</summary>
    internal static int DefaultIntraOpNumThreads(int processorCount) => Math.Clamp(processorCount / 2, 1, 16);

    /// <summary>The intra-op thread count the session gets.</summary>
    internal int EffectiveIntraOpNumThreads => IntraOpNumThreads > 0 ? IntraOpNumThreads : DefaultIntraOpNumThreads(Environment.ProcessorCount);

    /// <summary>Gets or sets the chat template family; <see cref="ChatTemplateFamily.Auto"/> (default) chooses from the model's configuration.</summary>
    public ChatTemplateFamily TemplateFamily { get; set; } = ChatTemplateFamily.Auto;

    /// <summary>Gets or sets a formatter that replaces the built-in chat templates. Default null.</summary>
    public IChatPromptFormatter? PromptFormatter { get; set; }

    /// <summary>Gets or sets a value indicating whether the KV cache of the previous request is reused when the next prompt extends it. Default true.</summary>
    public bool EnablePrefixReuse { get; set; } = true;

    /// <summary>
    /// Gets or sets how many requests may wait while one runs; a request beyond that fails at once with
    /// <see cref="InvalidOperationException"/> (back-pressure). Null (default): no limit.
    /// </summary>
    public int? MaxQueuedRequests { get; set; }

    /// <summary>Gets or sets the largest <c>MaxTokens</c> a request may ask for; more fails with <see cref="ArgumentOutOfRangeException"/>. Null (default): no limit.</summary>
    public int? MaxTokensPerRequest { get; set; }

    /// <summary>Gets or sets the time provider used for timings. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Variant))
        {
            throw new ArgumentOutOfRangeException(nameof(Variant), Variant, $"{nameof(LocalOnnxEngineOptions)}.{nameof(Variant)} is not a defined value.");
        }

        if (!Enum.IsDefined(ExecutionProvider))
        {
            throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), ExecutionProvider, $"{nameof(LocalOnnxEngineOptions)}.{nameof(ExecutionProvider)} is not a defined value.");
        }

        if (!Enum.IsDefined(TemplateFamily))
        {
            throw new ArgumentOutOfRangeException(nameof(TemplateFamily), TemplateFamily, $"{nameof(LocalOnnxEngineOptions)}.{nameof(TemplateFamily)} is not a defined value.");
        }

        if (DeviceId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DeviceId), DeviceId, $"{nameof(LocalOnnxEngineOptions)}.{nameof(DeviceId)} must be >= 0.");
        }

        if (IntraOpNumThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpNumThreads), IntraOpNumThreads, $"{nameof(LocalOnnxEngineOptions)}.{nameof(IntraOpNumThreads)} must be >= 0 (0: half the processor count, 1 to 16).");
        }

        if (MaxQueuedRequests is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedRequests), MaxQueuedRequests, $"{nameof(LocalOnnxEngineOptions)}.{nameof(MaxQueuedRequests)} must be >= 0 (or null for no limit).");
        }

        if (MaxTokensPerRequest is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokensPerRequest), MaxTokensPerRequest, $"{nameof(LocalOnnxEngineOptions)}.{nameof(MaxTokensPerRequest)} must be >= 1 (or null for no limit).");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
