using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using Agents.LocalEngine.Chat;
using Agents.LocalEngine.Constraints;
using Agents.LocalEngine.Generation;
using Agents.LocalEngine.Loading;
using Agents.LocalEngine.Loading.Fusion;
using Agents.LocalEngine.Runtime;
using Agents.LocalEngine.Tokenization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine;

/// <summary>
/// A local decoder-only language model on ONNX Runtime: loads an Optimum / transformers.js or onnxruntime-genai export and
/// serves any number of concurrent requests with continuous batching. Each request is prefilled on its own, then its rows
/// join the running batch, so one decode step computes the next token of every running sequence; a row leaves when it
/// finishes, and a cancelled or failing request leaves without disturbing the others. The KV caches of recent conversations
/// are kept (least recently used dropped first, within <see cref="LocalOnnxEngineOptions.KvCacheBudgetBytes"/>) so that a
/// prompt extending one of them computes only its new tokens. One sequence or n sequences sharing one prefill.
/// </summary>
public sealed class LocalOnnxEngine : IDisposable
{
    private readonly DecoderSession _session;
    private readonly LocalTokenizer _tokenizer;
    private readonly LocalOnnxEngineOptions _options;
    private readonly ILogger _logger;
    private readonly int[] _eosIds;
    private readonly Lazy<ConstraintVocabulary> _constraintVocabulary;

    // Guards the queue, the row accounting and the disposed flag; the decode thread waits on it for work.
    private readonly object _sync = new();
    private readonly List<GenerationRequest> _pending = [];
    private int _runningRows;
    private bool _disposed;
    private Thread? _thread;

    // Owned by the decode thread.
    private readonly BatchKvCache _batch;
    private readonly List<GenerationRow> _rows = [];
    private readonly PrefixCache _prefixes;
    private readonly RunOptions _stepOptions = new();
    private float[] _logits = [];
    private float[] _prefillLogits = [];
    private int[] _ids = [];
    private long _steps;
    private long _runTicks;
    private long _chooseTicks;
    private long _iterationTicks;

    /// <summary>Loads a model folder.</summary>
    /// <param name="modelDirectory">The folder (Optimum layout with config.json and onnx/model.onnx, or onnxruntime-genai layout with genai_config.json).</param>
    /// <param name="options">Engine options; null for the defaults.</param>
    /// <param name="loggerFactory">Creates the engine's logger; null for none.</param>
    /// <exception cref="LocalModelLoadException">A file is missing, corrupt or inconsistent; the exception names it.</exception>
    /// <exception cref="InvalidOperationException">The requested execution provider is not installed.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public LocalOnnxEngine(string modelDirectory, LocalOnnxEngineOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        _options = options ?? new LocalOnnxEngineOptions();
        _options.Validate();
        _logger = (ILogger?)loggerFactory?.CreateLogger<LocalOnnxEngine>() ?? NullLogger.Instance;
        var model = ModelFolderReader.Read(Path.GetFullPath(modelDirectory), _options.Variant);
        var tokenizer = LocalTokenizer.Load(model);
        _session = LoadSession(ref model);
        try
        {
            if (tokenizer.Size > _session.VocabSize)
            {
                throw new LocalModelLoadException(model.TokenizerPath,
                    $"the tokenizer has token ids up to {tokenizer.Size - 1} but the model's vocabulary has {_session.VocabSize} entries; the tokenizer does not belong to this model.", null);
            }

            _tokenizer = tokenizer;
            var family = _options.TemplateFamily != ChatTemplateFamily.Auto
                ? _options.TemplateFamily
                : ChatTemplateSelector.Detect(model.ChatTemplate, model.ModelType, t => tokenizer.TokenId(t) is not null);
            PromptFormatter = _options.PromptFormatter ?? (family is { } f ? ChatTemplateSelector.Create(f) : null);
            var eos = new List<int>(model.EosTokenIds);
            foreach (var text in new[] { model.EosToken, PromptFormatter?.EndOfTurnToken })
            {
                if (text is not null && tokenizer.TokenId(text) is { } id && !eos.Contains(id))
                {
                    eos.Add(id);
                }
            }

            _eosIds = [.. eos];
            _constraintVocabulary = new(() => new ConstraintVocabulary(_session.VocabSize, id => _tokenizer.TokenBytes(id).ToArray(), _eosIds));
            ModelId = Path.GetFileName(model.Directory.TrimEnd(Path.DirectorySeparatorChar));
            Descriptor = model;
            _batch = new BatchKvCache(_session);
            _prefixes = new PrefixCache(_options.KvCacheBudgetBytes);
            _logger.LogInformation("Loaded {Model} ({Layout}, {Layers} layers, vocab {Vocab}, context {Context}) on {Provider}.",
                model.ModelPath, model.Layout, _session.Layers, _session.VocabSize, model.ContextLength, _options.ExecutionProvider);
        }
        catch
        {
            _session.Dispose();
            _stepOptions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the decoder: an Optimum export's attention rewritten into GroupQueryAttention when <see cref="LocalOnnxEngineOptions.FuseAttention"/>
    /// allows and the graph matches (<paramref name="model"/> then describes a shared KV buffer), else the file as it is.
    /// </summary>
    private DecoderSession LoadSession(ref ModelDescriptor model)
    {
        if (!_options.FuseAttention || model.Layout != ModelLayout.Optimum)
        {
            return new DecoderSession(model, _options);
        }

        AttentionFusion.FusionResult result;
        var started = _options.TimeProvider.GetTimestamp();
        var fileBytes = new FileInfo(model.ModelPath).Length;
        if (model.SlidingWindow is { } window && window < model.ContextLength)
        {
            result = AttentionFusion.FusionResult.Unchanged($"the model attends over a sliding window of {window} positions");
        }
        else if (fileBytes > _options.MaxFusedModelFileBytes)
        {
            // The rewrite holds the file, its parsed graph and the rewritten copy at once: weights inside the graph file make
            // that several copies of them (an export with external data keeps its weights in model.onnx_data, untouched).
            result = AttentionFusion.FusionResult.Unchanged(
                $"the ONNX file is {fileBytes / (1024 * 1024)} MiB with its weights inside; files over {_options.MaxFusedModelFileBytes / (1024 * 1024)} MiB are rewritten only when their weights are external data");
        }
        else
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(model.ModelPath);
            }
            catch (IOException ex)
            {
                throw new LocalModelLoadException(model.ModelPath, $"the ONNX file could not be read ({ex.Message}).", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new LocalModelLoadException(model.ModelPath, $"the ONNX file could not be read ({ex.Message}).", ex);
            }

            var cacheType = _options.ExecutionProvider == LocalExecutionProvider.Cuda ? Loading.Fusion.Onnx.TensorProto.Types.DataType.Float16 : Loading.Fusion.Onnx.TensorProto.Types.DataType.Float;
            result = AttentionFusion.Fuse(bytes, model.NumHeads, cacheType, Path.GetDirectoryName(model.ModelPath), model.ContextLength, _options.FuseRotaryAnyHeadSize);
        }

        if (result.Model is null)
        {
            _logger.LogInformation("Attention of {Model} left as exported: {Reason}.", model.ModelPath, result.Reason);
            return new DecoderSession(model, _options);
        }

        var rewriting = _options.TimeProvider.GetElapsedTime(started);
        var fused = model with { PastPresentShareBuffer = true, AttentionFused = true };
        DecoderSession? session = null;
        try
        {
            session = new DecoderSession(fused, _options, result.Model);

            // Some of ONNX Runtime's kernel constraints are checked only when a kernel runs: run a two-token prompt and one step.
            using (var cache = session.CreateCache(1))
            using (var runOptions = new RunOptions())
            {
                var logits = new float[2 * session.VocabSize];
                session.Forward([0, 0], 2, cache, runOptions, logits);
                session.Forward([0], 1, cache, runOptions, logits);
            }

            _logger.LogInformation("Attention of {Model} rewritten into GroupQueryAttention ({Layers} layers, {RotaryLayers} with the rotary embedding inside, shared KV buffer) in {Milliseconds:F0} ms.",
                model.ModelPath, result.Layers, result.RotaryLayers, rewriting.TotalMilliseconds);
            model = fused;
            return session;
        }
        catch (Exception ex) when (ex is LocalModelLoadException or OnnxRuntimeException)
        {
            session?.Dispose();
            _logger.LogWarning(ex, "ONNX Runtime refused the fused attention of {Model}; loading the export as it is.", model.ModelPath);
            return new DecoderSession(model, _options);
        }
    }

    /// <summary>
    /// Gets a value indicating whether the model's attention was rewritten at load into GroupQueryAttention with a shared KV
    /// buffer (<see cref="LocalOnnxEngineOptions.FuseAttention"/>); when not, the log at load says why.
    /// </summary>
    public bool AttentionFused => Descriptor.AttentionFused;

    /// <summary>Gets the model's name (its folder name).</summary>
    public string ModelId { get; }

    /// <summary>Gets the context length (prompt plus generated tokens).</summary>
    public int ContextLength => Descriptor.ContextLength;

    /// <summary>Gets the size of the model's vocabulary (logits per position).</summary>
    public int VocabSize => _session.VocabSize;

    /// <summary>Gets the end-of-sequence token ids generation stops on.</summary>
    public IReadOnlyList<int> EndOfSequenceTokenIds => _eosIds;

    /// <summary>Gets the chat formatter in use, or null when the model has no recognisable chat format and none was configured.</summary>
    public IChatPromptFormatter? PromptFormatter { get; }

    internal ModelDescriptor Descriptor { get; }

    internal DecoderSession Session => _session;

    /// <summary>Gets or sets a value indicating whether n-way sampling drops finished rows from the batch (tests compare both).</summary>
    internal bool CompactFinishedRows { get; set; } = true;

    /// <summary>Gets the token texts constrained decoding works over (built on first use).</summary>
    internal ConstraintVocabulary ConstraintVocabulary => _constraintVocabulary.Value;

    /// <summary>Gets where the decode thread's time went so far (subtract two snapshots to measure a run).</summary>
    internal DecodeProfile Profile
    {
        get
        {
            var frequency = (double)_options.TimeProvider.TimestampFrequency;
            TimeSpan Span(ref long ticks) => TimeSpan.FromSeconds(Volatile.Read(ref ticks) / frequency);
            return new DecodeProfile(Volatile.Read(ref _steps), Span(ref _runTicks), Span(ref _chooseTicks), Span(ref _iterationTicks));
        }
    }

    /// <summary>Gets the number of sequence positions computed by decode steps so far (batch rows summed over steps), for tests.</summary>
    internal long RowStepsComputed { get; private set; }

    /// <summary>Encodes text; special tokens written as text become their ids. <paramref name="addBos"/> adds BOS when the tokenizer config asks for it.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addBos">Whether to add the BOS token per tokenizer_config.json add_bos_token.</param>
    /// <returns>The token ids.</returns>
    public IReadOnlyList<int> Tokenize(string text, bool addBos = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.Encode(text, addBos);
    }

    /// <summary>Decodes token ids to text (special tokens left out).</summary>
    /// <param name="tokenIds">The ids.</param>
    /// <returns>The text.</returns>
    public string Detokenize(IEnumerable<int> tokenIds)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        return _tokenizer.Decode(tokenIds);
    }

    /// <summary>Formats a conversation with the model's chat format and encodes it.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="tools">Functions the model may call.</param>
    /// <returns>The prompt token ids.</returns>
    /// <exception cref="InvalidOperationException">The model has no known chat format and no formatter was configured.</exception>
    public IReadOnlyList<int> TokenizeChat(IReadOnlyList<ChatMessage> messages, IReadOnlyList<AIFunctionDeclaration>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var formatter = PromptFormatter ?? throw new InvalidOperationException(
            $"{Descriptor.Directory}: no chat format could be chosen from tokenizer_config.json chat_template or the model type '{Descriptor.ModelType}'; " +
            $"set {nameof(LocalOnnxEngineOptions)}.{nameof(LocalOnnxEngineOptions.TemplateFamily)} or {nameof(LocalOnnxEngineOptions.PromptFormatter)}.");
        return _tokenizer.Encode(formatter.Format(messages, tools ?? []), addBos: true);
    }

    /// <summary>Generates one sequence.</summary>
    /// <param name="promptTokens">The prompt token ids.</param>
    /// <param name="settings">Generation settings; null for the model's defaults.</param>
    /// <param name="cancellationToken">Cancels the request, stopping an ONNX Runtime run in flight.</param>
    /// <returns>The generated sequence.</returns>
    /// <exception cref="ArgumentException">The prompt is empty or does not fit the context.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public async Task<LocalGenerationResult> GenerateAsync(IReadOnlyList<int> promptTokens, LocalGenerationSettings? settings = null, CancellationToken cancellationToken = default)
    {
        var results = await GenerateManyAsync(promptTokens, 1, settings, cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Generates <paramref name="count"/> sequences from one prefill of the prompt, decoding them as a batch.</summary>
    /// <param name="promptTokens">The prompt token ids.</param>
    /// <param name="count">How many sequences (&gt;= 1, at most <see cref="LocalOnnxEngineOptions.MaxBatchSize"/>).</param>
    /// <param name="settings">Generation settings; null for the model's defaults.</param>
    /// <param name="cancellationToken">Cancels the request (the other requests in the batch go on).</param>
    /// <returns>The sequences.</returns>
    /// <exception cref="InvalidOperationException">The wait queue is full (<see cref="LocalOnnxEngineOptions.MaxQueuedRequests"/>).</exception>
    public async Task<IReadOnlyList<LocalGenerationResult>> GenerateManyAsync(IReadOnlyList<int> promptTokens, int count, LocalGenerationSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= new LocalGenerationSettings();
        Check(promptTokens, count, settings);
        var request = Submit(promptTokens, count, settings, null, cancellationToken);
        using var registration = cancellationToken.Register(static state =>
        {
            var r = (GenerationRequest)state!;
            r.Completion.TrySetCanceled(r.CancellationToken);
        }, request);
        return await request.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Generates one sequence, streaming tokens as they are produced; the last update carries the result.</summary>
    /// <param name="promptTokens">The prompt token ids.</param>
    /// <param name="settings">Generation settings; null for the model's defaults.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The updates.</returns>
    public async IAsyncEnumerable<LocalGenerationUpdate> GenerateStreamingAsync(IReadOnlyList<int> promptTokens, LocalGenerationSettings? settings = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        settings ??= new LocalGenerationSettings();
        Check(promptTokens, 1, settings);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<LocalGenerationUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var request = Submit(promptTokens, 1, settings, (_, token, text) => channel.Writer.TryWrite(new LocalGenerationUpdate { TokenId = token, Text = text }), cts.Token);
        _ = request.Completion.Task.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    channel.Writer.TryWrite(new LocalGenerationUpdate { TokenId = -1, Text = string.Empty, Result = t.Result[0] });
                    channel.Writer.TryComplete();
                }
                else
                {
                    channel.Writer.TryComplete(t.IsCanceled ? new OperationCanceledException(cts.Token) : t.Exception!.InnerException);
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        try
        {
            await foreach (var update in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // ReadAllAsync drains buffered updates without looking at the token: stop promptly when asked.
                cancellationToken.ThrowIfCancellationRequested();
                yield return update;
            }
        }
        finally
        {
            // The consumer stopped early or everything was read: the request leaves the batch at the next step.
            await cts.CancelAsync().ConfigureAwait(false);
            request.Completion.TrySetCanceled(cts.Token);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Gets or sets a callback the decode thread calls before each batched step with the step's number (tests hold or cancel requests with it).</summary>
    internal Action<long>? StepStarting { get; set; }

    /// <summary>Gets or sets a callback the decode thread calls before each token choice with the request's settings and the row's token count (tests make sampling fail with it).</summary>
    internal Action<LocalGenerationSettings, int>? BeforeSample { get; set; }

    /// <summary>Gets or sets a callback the decode thread calls before a batched prefill run with the number of requests it carries (tests cancel requests with it).</summary>
    internal Action<int>? PrefillStarting { get; set; }

    /// <summary>Gets the most requests one prefill run has carried so far, for tests.</summary>
    internal int LargestPrefill { get; private set; }

    /// <summary>Gets the most rows one decode step has computed so far, for tests.</summary>
    internal int LargestBatch { get; private set; }

    /// <summary>Gets the number of conversations the prefix cache holds, for tests.</summary>
    internal int CachedConversations => _prefixes.Count;

    /// <summary>Queues a request, refusing it when <see cref="LocalOnnxEngineOptions.MaxQueuedRequests"/> requests already wait for a place in the batch.</summary>
    private GenerationRequest Submit(IReadOnlyList<int> prompt, int count, LocalGenerationSettings settings, Action<int, int, string>? onToken, CancellationToken ct)
    {
        var request = new GenerationRequest(prompt, count, settings, CreateSampler(settings), onToken, ct);
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_options.MaxQueuedRequests is { } max)
            {
                // In arrival order, the requests that will not fit beside the running rows wait.
                var free = _options.MaxBatchSize - _runningRows;
                var waiting = 0;
                foreach (var queued in _pending.Append(request))
                {
                    if (queued.IsDone)
                    {
                        continue;
                    }

                    if (waiting == 0 && queued.Count <= free)
                    {
                        free -= queued.Count;
                    }
                    else
                    {
                        waiting++;
                    }
                }

                if (waiting > max)
                {
                    throw new InvalidOperationException(
                        $"The local engine is busy: {_runningRows} sequences are decoding ({nameof(LocalOnnxEngineOptions)}.{nameof(LocalOnnxEngineOptions.MaxBatchSize)} = {_options.MaxBatchSize}) " +
                        $"and {waiting - 1} requests are waiting ({nameof(LocalOnnxEngineOptions)}.{nameof(LocalOnnxEngineOptions.MaxQueuedRequests)} = {max}); retry later.");
                }
            }

            _pending.Add(request);
            if (_thread is null)
            {
                _thread = new Thread(DecodeLoop) { IsBackground = true, Name = $"LocalOnnxEngine {ModelId}" };
                _thread.Start();
            }

            Monitor.Pulse(_sync);
        }

        return request;
    }

    private TokenSampler CreateSampler(LocalGenerationSettings settings)
    {
        var defaults = Descriptor.Defaults;
        var explicitSampling = settings.Temperature is > 0 || settings.TopP is not null || settings.TopK is not null;
        var doSample = settings.DoSample ?? (explicitSampling || (defaults.DoSample ?? false));
        return new TokenSampler(new TokenSamplerParameters
        {
            VocabSize = VocabSize,
            Greedy = !doSample,
            Temperature = settings.Temperature ?? defaults.Temperature ?? 1f,
            TopK = settings.TopK ?? defaults.TopK ?? 0,
            TopP = settings.TopP ?? defaults.TopP ?? 1f,
            RepetitionPenalty = settings.RepetitionPenalty ?? defaults.RepetitionPenalty ?? 1f,
            Seed = settings.Seed,
        });
    }

    private void Check(IReadOnlyList<int> promptTokens, int count, LocalGenerationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(promptTokens);
        settings.Validate();
        if (_options.MaxTokensPerRequest is { } limit && settings.MaxTokens > limit)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.MaxTokens,
                $"The request asks for {settings.MaxTokens} new tokens; {nameof(LocalOnnxEngineOptions)}.{nameof(LocalOnnxEngineOptions.MaxTokensPerRequest)} allows {limit}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (count > _options.MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"The request asks for {count} sequences; {nameof(LocalOnnxEngineOptions)}.{nameof(LocalOnnxEngineOptions.MaxBatchSize)} allows {_options.MaxBatchSize} in one batch.");
        }

        if (promptTokens.Count == 0)
        {
            throw new ArgumentException("The prompt is empty.", nameof(promptTokens));
        }

        if (promptTokens.Count >= ContextLength)
        {
            throw new ArgumentException(
                $"The prompt has {promptTokens.Count} tokens but the model's context length is {ContextLength} (from {Descriptor.ConfigPath}); shorten the prompt.",
                nameof(promptTokens));
        }

        foreach (var id in promptTokens)
        {
            if ((uint)id >= (uint)VocabSize)
            {
                throw new ArgumentException($"The prompt contains token id {id}, outside the model's vocabulary of {VocabSize}.", nameof(promptTokens));
            }
        }
    }

    /// <summary>The decode thread: admits waiting requests (prefill), runs batched steps, retires finished rows, until disposed.</summary>
    private void DecodeLoop()
    {
        while (true)
        {
            lock (_sync)
            {
                while (!_disposed && _pending.Count == 0 && _rows.Count == 0)
                {
                    Monitor.Wait(_sync);
                }

                if (_disposed)
                {
                    break;
                }
            }

            try
            {
                var time = _options.TimeProvider;
                var start = time.GetTimestamp();
                Retire();
                var admitting = time.GetTimestamp();
                AdmitWaiting();
                var admitted = time.GetTimestamp();
                if (_rows.Count > 0)
                {
                    StepStarting?.Invoke(_steps);
                    Retire();
                    Step();

                    // Counted before the last Retire, which completes finished requests (a caller reading the profile then
                    // sees this step's time); that Retire costs what the first one of the next iteration costs.
                    Volatile.Write(ref _iterationTicks, _iterationTicks + (time.GetTimestamp() - start) - (admitted - admitting));
                    Retire();
                }
            }
            catch (Exception ex)
            {
                // Not one request's fault (those are caught where they happen): fail the batch, keep serving.
                _logger.LogError(ex, "A batched decode step failed; the {Rows} running sequences fail with it.", _rows.Count);
                FailBatch(ex);
            }
        }

        var disposed = new ObjectDisposedException(nameof(LocalOnnxEngine));
        FailBatch(disposed);
        lock (_sync)
        {
            foreach (var request in _pending)
            {
                request.Completion.TrySetException(disposed);
            }

            _pending.Clear();
        }
    }

    /// <summary>
    /// Prefills waiting requests in arrival order while their rows fit, in at most <see cref="LocalOnnxEngineOptions.MaxPrefillsPerStep"/>
    /// runs: the single-sequence requests waiting together whose prompts have no useful cached prefix share one batched run
    /// (prompts padded on the left, or on the right into a shared KV buffer); the others are prefilled one by one.
    /// </summary>
    private void AdmitWaiting()
    {
        List<GenerationRequest>? group = null;
        var padded = 0;
        var real = 0;
        var groupLongest = 0;
        var runs = 0;
        while (true)
        {
            GenerationRequest request;
            lock (_sync)
            {
                if (_pending.Count == 0)
                {
                    break;
                }

                // Without an attention mask, rows of different lengths cannot share a step: requests then run one at a time.
                var full = _runningRows + _pending[0].Count > _options.MaxBatchSize || (_rows.Count > 0 && !_session.HasAttentionMask);
                if (full && !_pending[0].IsDone)
                {
                    break;
                }

                request = _pending[0];
                if (request.IsDone)
                {
                    _pending.RemoveAt(0);
                    continue;
                }

                var together = CanPrefillTogether(request);
                if (runs >= _options.MaxPrefillsPerStep && !(together && group is not null))
                {
                    break;
                }

                if (together)
                {
                    // A prompt much shorter than the group's longest would mostly compute padding: it waits for the next run.
                    var longest = Math.Max(request.Prompt.Count, groupLongest);
                    var count = (group?.Count ?? 0) + 1;
                    if (group is not null && longest * count > 2 * (real + request.Prompt.Count))
                    {
                        break;
                    }

                    _pending.RemoveAt(0);
                    _runningRows += request.Count;
                    if (group is null)
                    {
                        runs++;
                    }

                    (group ??= []).Add(request);
                    real += request.Prompt.Count;
                    groupLongest = longest;
                    padded = longest * count;
                    continue;
                }

                _pending.RemoveAt(0);
                _runningRows += request.Count;
            }

            runs++;
            PrefillOne(request);
        }

        if (group is { Count: 1 })
        {
            PrefillOne(group[0]);
        }
        else if (group is not null)
        {
            PrefillTogether(group, padded);
        }
    }

    /// <summary>
    /// Whether a waiting request may share a batched prefill: one sequence, a model with an attention mask and position ids
    /// whose cache can be padded (a growing cache on the left; a shared buffer of a fused export on the right), and no cached
    /// prefix covering half its prompt.
    /// </summary>
    private bool CanPrefillTogether(GenerationRequest request) =>
        request.Count == 1 && _session.HasAttentionMask && _session.HasPositionIds && (!Descriptor.PastPresentShareBuffer || Descriptor.AttentionFused) &&
        (!_options.EnablePrefixReuse || 2 * _prefixes.CommonLength(request.Prompt) < request.Prompt.Count);

    private void PrefillOne(GenerationRequest request)
    {
        try
        {
            request.CancellationToken.ThrowIfCancellationRequested();
            Prefill(request);
        }
        catch (Exception ex)
        {
            Fail(request, ex);
        }
    }

    /// <summary>
    /// Prefills several single-sequence requests in one run (prompts padded on the left, or on the right into a shared KV buffer,
    /// the padding masked out), chooses each one's first token and adds the unfinished rows to the batch. A request cancelled during the run, or whose token choice
    /// fails, leaves alone; the run is stopped only when every request in it is cancelled.
    /// </summary>
    private void PrefillTogether(List<GenerationRequest> group, int padded)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        var k = group.Count;
        var longest = padded / k;
        var vocab = VocabSize;
        var ids = new int[k * longest];
        var padding = new int[k];
        var shared = Descriptor.PastPresentShareBuffer;
        for (var r = 0; r < k; r++)
        {
            var prompt = group[r].Prompt;
            padding[r] = longest - prompt.Count;
            group[r].Started = started;
            // A growing cache's rows end together (padding first); a shared buffer's rows start at 0 (padding last).
            var row = ids.AsSpan(r * longest, longest);
            var start = shared ? 0 : padding[r];
            row.Fill(prompt[shared ? ^1 : 0]);
            for (var i = 0; i < prompt.Count; i++)
            {
                row[start + i] = prompt[i];
            }
        }

        EnsureCapacity(ref _prefillLogits, k * vocab);
        var cache = _session.CreateCache(k);
        try
        {
            using (var runOptions = new RunOptions())
            {
                var live = k;
                var registrations = new CancellationTokenRegistration[k];
                try
                {
                    for (var r = 0; r < k; r++)
                    {
                        registrations[r] = group[r].CancellationToken.Register(() =>
                        {
                            if (Interlocked.Decrement(ref live) == 0)
                            {
                                runOptions.Terminate = true;
                            }
                        });
                    }

                    PrefillStarting?.Invoke(k);
                    LargestPrefill = Math.Max(LargestPrefill, k);
                    _session.Forward(ids, longest, cache, runOptions, _prefillLogits.AsSpan(0, k * vocab), null, padding);
                }
                catch (OnnxRuntimeException ex) when (runOptions.Terminate)
                {
                    throw new OperationCanceledException("Every request of a batched prefill was cancelled while ONNX Runtime was running.", ex);
                }
                finally
                {
                    foreach (var registration in registrations)
                    {
                        registration.Dispose();
                    }
                }
            }
        }
        catch (Exception ex)
        {
            cache.Dispose();
            foreach (var request in group)
            {
                Fail(request, request.CancellationToken.IsCancellationRequested ? new OperationCanceledException(request.CancellationToken) : ex);
            }

            return;
        }

        try
        {
            var joining = new List<int>(k);
            var lengths = new List<int>(k);
            for (var r = 0; r < k; r++)
            {
                var request = group[r];
                try
                {
                    request.CancellationToken.ThrowIfCancellationRequested();
                    request.CachedPromptTokens = 0;
                    StartRows(request, _prefillLogits.AsSpan(r * vocab, vocab));
                    if (!request.AllRowsFinished)
                    {
                        joining.Add(r);
                        lengths.Add(request.Prompt.Count);
                    }
                }
                catch (Exception ex)
                {
                    Fail(request, ex);
                }
            }

            try
            {
                _batch.Add(cache, CollectionsMarshal.AsSpan(joining), CollectionsMarshal.AsSpan(lengths));
                foreach (var r in joining)
                {
                    _rows.Add(group[r].Rows[0]);
                }
            }
            catch (Exception ex)
            {
                foreach (var r in joining)
                {
                    Fail(group[r], ex);
                }
            }

            if (_options.EnablePrefixReuse)
            {
                // As a prefill of one prompt does: each prompt's positions are kept for a later request extending it.
                for (var r = 0; r < k; r++)
                {
                    var length = group[r].Prompt.Count;
                    var copy = shared
                        ? _session.CreateCache(1, length + 1, exact: true)
                        : KvCache.Zeroed(_session.Layers, 1, _session.KvHeads, length, _session.HeadDim, _session.CacheType, _session.Memory);
                    KvCache.CopyPositions(cache, r, shared ? 0 : padding[r], copy, 0, 0, length);
                    copy.Advance(length);
                    _prefixes.Store([.. group[r].Prompt], copy);
                }
            }
        }
        finally
        {
            cache.Dispose();
        }

        foreach (var request in group)
        {
            if (!request.IsDone && request.AllRowsFinished)
            {
                Complete(request);
            }
        }
    }

    /// <summary>Runs the request's prompt (after the longest cached prefix), chooses each row's first token and adds the unfinished rows to the batch.</summary>
    private void Prefill(GenerationRequest request)
    {
        var prompt = request.Prompt;
        var n = request.Count;
        var vocab = VocabSize;
        var ct = request.CancellationToken;
        var time = _options.TimeProvider;
        request.Started = time.GetTimestamp();
        KvCache cache;
        var common = 0;
        if (_options.EnablePrefixReuse && _prefixes.Take(prompt) is { } hit)
        {
            (cache, common) = hit;
        }
        else
        {
            cache = _session.CreateCache(1);
        }

        EnsureCapacity(ref _prefillLogits, n * vocab);
        try
        {
            var feed = new int[prompt.Count - common];
            for (var i = 0; i < feed.Length; i++)
            {
                feed[i] = prompt[common + i];
            }

            using var runOptions = new RunOptions();
            using var registration = ct.Register(() => runOptions.Terminate = true);
            Run(feed, feed.Length, cache, runOptions, _prefillLogits.AsSpan(0, vocab), ct);
        }
        catch
        {
            // The cache is as it was: give a taken prefix back.
            StoreOrDispose(prompt, cache);
            throw;
        }

        request.CachedPromptTokens = common;
        try
        {
            for (var r = 1; r < n; r++)
            {
                _prefillLogits.AsSpan(0, vocab).CopyTo(_prefillLogits.AsSpan(r * vocab, vocab));
            }

            StartRows(request, _prefillLogits.AsSpan(0, n * vocab));
            var rows = request.Rows;
            var joining = CompactFinishedRows ? rows.Where(r => r.Finish is null).ToList() : request.AllRowsFinished ? [] : [.. rows];
            if (joining.Count == n && n == 1)
            {
                _batch.Add(cache);
            }
            else if (joining.Count > 0)
            {
                using var copies = cache.CopyPrefix(cache.Length, joining.Count);
                _batch.Add(copies);
            }

            _rows.AddRange(joining);
        }
        finally
        {
            StoreOrDispose(prompt, cache);
        }

        if (request.AllRowsFinished)
        {
            Complete(request);
        }
    }

    /// <summary>Creates the request's rows and chooses each one's first token from its logits (<paramref name="logits"/>: [rows, vocab], one copy per row).</summary>
    private void StartRows(GenerationRequest request, Span<float> logits)
    {
        var vocab = VocabSize;
        var rows = new GenerationRow[request.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = new GenerationRow(request, r, new StreamingDetokenizer(_tokenizer), vocab) { Constraint = request.Settings.Constraint?.Start(ConstraintVocabulary) };
            if (request.Sampler.RepetitionPenalty != 1f)
            {
                foreach (var t in request.Prompt)
                {
                    rows[r].Seen[t] = true;
                }
            }
        }

        request.Rows = rows;
        for (var r = 0; r < rows.Length; r++)
        {
            Choose(rows[r], logits.Slice(r * vocab, vocab));
        }

        var time = _options.TimeProvider;
        request.PrefillTime = time.GetElapsedTime(request.Started);
        request.DecodeStarted = time.GetTimestamp();
    }

    /// <summary>Runs one step for every row in the batch and chooses each unfinished row's next token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step()
    {
        var count = _rows.Count;
        if (count == 0)
        {
            return;
        }

        var vocab = VocabSize;
        EnsureCapacity(ref _logits, count * vocab);
        EnsureCapacity(ref _ids, count);
        for (var i = 0; i < count; i++)
        {
            _ids[i] = _rows[i].Tokens[^1];
        }

        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        _batch.Step(_ids.AsSpan(0, count), _stepOptions, _logits.AsSpan(0, count * vocab));
        var ran = time.GetTimestamp();
        Volatile.Write(ref _runTicks, _runTicks + (ran - started));
        RowStepsComputed += count;
        LargestBatch = Math.Max(LargestBatch, count);
        for (var i = 0; i < count; i++)
        {
            var row = _rows[i];
            var request = row.Request;
            if (request.LastStep != _steps)
            {
                request.LastStep = _steps;
                request.DecodeSteps++;
            }

            if (request.IsDone || row.Finish is not null)
            {
                continue;
            }

            try
            {
                Choose(row, _logits.AsSpan(i * vocab, vocab));
            }
            catch (Exception ex)
            {
                // This request's failure (its sampling, constraint or callback): it leaves, the others go on.
                Fail(request, ex);
            }
        }

        Volatile.Write(ref _chooseTicks, _chooseTicks + (time.GetTimestamp() - ran));
        Volatile.Write(ref _steps, _steps + 1);
    }

    /// <summary>
    /// Removes the rows of cancelled, failed and completed requests and finished rows from the batch (keeping a single
    /// sequence's cache for the next turn of its conversation), and completes the requests whose rows have all finished.
    /// </summary>
    private void Retire()
    {
        List<int>? keep = null;
        List<GenerationRequest>? finished = null;
        for (var i = 0; i < _rows.Count; i++)
        {
            var row = _rows[i];
            var request = row.Request;
            if (!request.IsDone && request.CancellationToken.IsCancellationRequested)
            {
                Fail(request, new OperationCanceledException(request.CancellationToken));
            }

            if (request.IsDone)
            {
                // Also requests cancelled through their token from outside the decode thread.
                Release(request);
            }

            var allFinished = request.AllRowsFinished;
            var leaves = request.IsDone || (row.Finish is not null && (CompactFinishedRows || allFinished));
            if (!leaves)
            {
                keep?.Add(i);
                continue;
            }

            if (keep is null)
            {
                keep = [.. Enumerable.Range(0, i)];
            }

            if (request.Count == 1 && _options.EnablePrefixReuse && _options.KvCacheBudgetBytes > 0)
            {
                var length = _batch.RowLength(i);
                var tokens = new int[length];
                for (var t = 0; t < length; t++)
                {
                    tokens[t] = t < request.Prompt.Count ? request.Prompt[t] : row.Tokens[t - request.Prompt.Count];
                }

                _prefixes.Store(tokens, _batch.CopyRow(i));
            }

            if (allFinished && !request.IsDone)
            {
                (finished ??= []).Add(request);
            }
        }

        if (keep is null)
        {
            return;
        }

        _batch.Keep(CollectionsMarshal.AsSpan(keep));
        var kept = keep.Select(i => _rows[i]).ToList();
        _rows.Clear();
        _rows.AddRange(kept);
        foreach (var request in finished ?? [])
        {
            if (!request.IsDone)
            {
                Complete(request);
            }
        }
    }

    /// <summary>Chooses a row's next token from its logits and updates its text and finish state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Choose(GenerationRow row, Span<float> logits)
    {
        var request = row.Request;
        var settings = request.Settings;
        BeforeSample?.Invoke(settings, row.Tokens.Count);
        var banned = row.Tokens.Count < settings.MinTokens && row.Constraint is null ? _eosIds : [];
        var prompt = request.Prompt;
        if (row.Constraint is { } constraint)
        {
            var left = Math.Min(settings.MaxTokens, ContextLength - prompt.Count) - row.Tokens.Count;
            if (!constraint.Mask(logits, left))
            {
                // Nothing can continue the text (the tokenizer lacks the bytes it needs): end it as cut off.
                row.Text.Append(row.Detokenizer.Flush());
                row.Finish = LocalFinishReason.Length;
                return;
            }
        }

        var stops = settings.StopSequences;
        var longestStop = 0;
        foreach (var stop in stops)
        {
            longestStop = Math.Max(longestStop, stop.Length);
        }

        var token = request.Sampler.Next(logits, row.Seen, banned);
        row.Tokens.Add(token);
        row.Seen[token] = true;
        row.Constraint?.Accept(token);
        if (Array.IndexOf(_eosIds, token) >= 0)
        {
            row.Finish = LocalFinishReason.Stop;
        }
        else
        {
            var before = row.Text.Length;
            row.Text.Append(row.Detokenizer.Append(token));
            if (FindStop(row.Text, stops, longestStop, before) is { } at)
            {
                row.Text.Length = at;
                row.Finish = LocalFinishReason.Stop;
            }
            else if (row.Constraint?.IsFinished == true)
            {
                row.Finish = LocalFinishReason.Stop;
                row.Text.Append(row.Detokenizer.Flush());
            }
            else if (row.Tokens.Count >= settings.MaxTokens)
            {
                row.Finish = LocalFinishReason.Length;
            }
            else if (prompt.Count + row.Tokens.Count >= ContextLength)
            {
                row.Finish = LocalFinishReason.ContextFull;
            }
        }

        if (row.Finish is not null)
        {
            var before = row.Text.Length;
            if (row.Finish != LocalFinishReason.Stop || Array.IndexOf(_eosIds, token) >= 0)
            {
                row.Text.Append(row.Detokenizer.Flush());
            }

            if (FindStop(row.Text, stops, longestStop, before) is { } late)
            {
                row.Text.Length = late;
                row.Finish = LocalFinishReason.Stop;
            }
        }

        if (request.OnToken is { } onToken)
        {
            var safe = row.Finish is null ? row.Text.Length - HoldBack(row.Text, stops) : row.Text.Length;
            var delta = safe > row.Emitted ? row.Text.ToString(row.Emitted, safe - row.Emitted) : string.Empty;
            row.Emitted = Math.Max(row.Emitted, safe);
            onToken(row.Index, token, delta);
        }
    }

    private void Complete(GenerationRequest request)
    {
        Release(request);
        var decode = _options.TimeProvider.GetElapsedTime(request.DecodeStarted);
        var results = new List<LocalGenerationResult>(request.Count);
        foreach (var row in request.Rows)
        {
            results.Add(new LocalGenerationResult
            {
                TokenIds = row.Tokens,
                Text = row.Text.ToString(),
                FinishReason = row.Finish!.Value,
                PromptTokens = request.Prompt.Count,
                CachedPromptTokens = request.CachedPromptTokens,
                PrefillTime = request.PrefillTime,
                DecodeTime = decode,
                DecodeSteps = request.DecodeSteps,
            });
        }

        _logger.LogDebug("Generated {Count} sequence(s): prompt {Prompt} ({Cached} cached), {Steps} decode steps, prefill {Prefill} ms, decode {Decode} ms.",
            request.Count, request.Prompt.Count, request.CachedPromptTokens, request.DecodeSteps, request.PrefillTime.TotalMilliseconds, decode.TotalMilliseconds);
        request.Completion.TrySetResult(results);
    }

    private void Fail(GenerationRequest request, Exception ex)
    {
        Release(request);
        if (ex is OperationCanceledException && request.CancellationToken.IsCancellationRequested)
        {
            request.Completion.TrySetCanceled(request.CancellationToken);
        }
        else
        {
            request.Completion.TrySetException(ex);
        }
    }

    /// <summary>Gives the request's places in the batch back (once).</summary>
    private void Release(GenerationRequest request)
    {
        if (request.Released)
        {
            return;
        }

        request.Released = true;
        lock (_sync)
        {
            _runningRows -= request.Count;
        }
    }

    /// <summary>Fails every request in the batch and empties it.</summary>
    private void FailBatch(Exception ex)
    {
        foreach (var row in _rows)
        {
            Fail(row.Request, ex);
        }

        _rows.Clear();
        _batch.Clear();
    }

    private void StoreOrDispose(IReadOnlyList<int> prompt, KvCache cache)
    {
        if (_options.EnablePrefixReuse && cache.Length > 0)
        {
            cache.Shrink();
            _prefixes.Store([.. prompt.Take(cache.Length)], cache);
        }
        else
        {
            cache.Dispose();
        }
    }

    private static void EnsureCapacity<T>(ref T[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = new T[Math.Max(size, buffer.Length * 2)];
        }
    }

    private void Run(ReadOnlySpan<int> ids, int seq, KvCache cache, RunOptions runOptions, Span<float> logits, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            _session.Forward(ids, seq, cache, runOptions, logits);
        }
        catch (OnnxRuntimeException ex) when (ct.IsCancellationRequested || runOptions.Terminate)
        {
            throw new OperationCanceledException("The generation was cancelled while ONNX Runtime was running.", ex, ct);
        }
    }

    /// <summary>
    /// Finds the earliest stop sequence that ends in the text appended since <paramref name="appendedFrom"/> (earlier text was
    /// searched when it was appended); <paramref name="longest"/> is the longest stop's length. Only the new text and the longest stop's length before it are looked at, so a long
    /// generation with stop sequences costs no more per token than a short one.
    /// </summary>
    private static int? FindStop(StringBuilder text, IList<string> stops, int longest, int appendedFrom)
    {
        if (stops.Count == 0 || text.Length == appendedFrom)
        {
            return null;
        }

        var start = Math.Max(0, appendedFrom - (longest - 1));
        var count = text.Length - start;
        var rented = count > 256 ? ArrayPool<char>.Shared.Rent(count) : null;
        try
        {
            Span<char> window = rented is null ? stackalloc char[count] : rented.AsSpan(0, count);
            text.CopyTo(start, window, count);
            int? best = null;
            foreach (var stop in stops)
            {
                var at = stop.Length == 0 ? -1 : window.IndexOf(stop, StringComparison.Ordinal);
                if (at >= 0 && (best is null || start + at < best))
                {
                    best = start + at;
                }
            }

            return best;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static int HoldBack(StringBuilder text, IList<string> stops)
    {
        var hold = 0;
        foreach (var stop in stops)
        {
            for (var k = Math.Min(stop.Length - 1, text.Length); k > hold; k--)
            {
                var match = true;
                for (var i = 0; i < k; i++)
                {
                    if (text[text.Length - k + i] != stop[i])
                    {
                        match = false;
                        break;
                    }
                }

                if (match)
                {
                    hold = k;
                    break;
                }
            }
        }

        return hold;
    }

    /// <summary>Stops the decode thread (requests still waiting or running fail with <see cref="ObjectDisposedException"/>) and releases the session and caches.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            thread = _thread;
            Monitor.PulseAll(_sync);
        }

        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join();
        }

        _batch.Dispose();
        _prefixes.Dispose();
        _stepOptions.Dispose();
        _session.Dispose();
    }
}
