using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Agents.LocalEngine.Chat;
using Agents.LocalEngine.Constraints;
using Agents.LocalEngine.Generation;
using Agents.LocalEngine.Loading;
using Agents.LocalEngine.Runtime;
using Agents.LocalEngine.Tokenization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine;

/// <summary>
/// A local decoder-only language model on ONNX Runtime: loads an Optimum / transformers.js or onnxruntime-genai export,
/// keeps the KV cache across steps (present tensors become the next past without copying) and across requests that
/// extend the previous conversation, and samples one or n sequences sharing one prefill. Requests run one at a time
/// in arrival order; a cancelled or failed request leaves the engine usable.
/// </summary>
public sealed class LocalOnnxEngine : IDisposable
{
    private readonly DecoderSession _session;
    private readonly LocalTokenizer _tokenizer;
    private readonly LocalOnnxEngineOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _requests;
    private readonly int[] _eosIds;
    private readonly List<int> _cachedTokens = [];
    private readonly Lazy<ConstraintVocabulary> _constraintVocabulary;
    private KvCache? _conversation;
    private float[] _logits = [];
    private bool _disposed;

    /// <summary>Loads a model folder.</summary>
    /// <param name="modelDirectory">The folder (Optimum layout with config.json and onnx/model.onnx, or onnxruntime-genai layout with genai_config.json).</param>
    /// <param name="options">Engine options; null for the defaults.</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <exception cref="LocalModelLoadException">A file is missing, corrupt or inconsistent; the exception names it.</exception>
    /// <exception cref="InvalidOperationException">The requested execution provider is not installed.</exception>
    public LocalOnnxEngine(string modelDirectory, LocalOnnxEngineOptions? options = null, ILogger<LocalOnnxEngine>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDirectory);
        _options = options ?? new LocalOnnxEngineOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var model = ModelFolderReader.Read(Path.GetFullPath(modelDirectory), _options.Variant);
        var tokenizer = LocalTokenizer.Load(model);
        _session = new DecoderSession(model, _options);
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
            _logger.LogInformation("Loaded {Model} ({Layout}, {Layers} layers, vocab {Vocab}, context {Context}) on {Provider}.",
                model.ModelPath, model.Layout, _session.Layers, _session.VocabSize, model.ContextLength, _options.ExecutionProvider);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

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
    /// <param name="count">How many sequences (&gt;= 1).</param>
    /// <param name="settings">Generation settings; null for the model's defaults.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The sequences.</returns>
    public async Task<IReadOnlyList<LocalGenerationResult>> GenerateManyAsync(IReadOnlyList<int> promptTokens, int count, LocalGenerationSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= new LocalGenerationSettings();
        Check(promptTokens, count, settings);
        Admit();
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (GateEntered is { } hook)
                {
                    await hook(cancellationToken).ConfigureAwait(false);
                }

                return await Task.Run(() => GenerateCore(promptTokens, count, settings, null, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _requests);
        }
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
        Admit();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<LocalGenerationUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                await _gate.WaitAsync(cts.Token).ConfigureAwait(false);
                try
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    var results = GenerateCore(promptTokens, 1, settings, (_, token, text) => channel.Writer.TryWrite(new LocalGenerationUpdate { TokenId = token, Text = text }), cts.Token);
                    channel.Writer.TryWrite(new LocalGenerationUpdate { TokenId = -1, Text = string.Empty, Result = results[0] });
                }
                finally
                {
                    _gate.Release();
                }

                channel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                channel.Writer.TryComplete(ex);
            }
            finally
            {
                Interlocked.Decrement(ref _requests);
            }
        }, CancellationToken.None);

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
            // The consumer stopped early or everything was read: make sure the producer ends before we return.
            await cts.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Gets or sets a callback awaited once a request holds the engine, before it runs (tests hold the engine with it).</summary>
    internal Func<CancellationToken, Task>? GateEntered { get; set; }

    /// <summary>Counts a request in, refusing it when <see cref="LocalOnnxEngineOptions.MaxQueuedRequests"/> are already waiting.</summary>
    private void Admit()
    {
        var active = Interlocked.Increment(ref _requests);
        if (_options.MaxQueuedRequests is { } max && active > max + 1)
        {
            Interlocked.Decrement(ref _requests);
            throw new InvalidOperationException(
                $"The local engine is busy: one request is running and {max} are waiting ({nameof(LocalOnnxEngineOptions)}.{nameof(LocalOnnxEngineOptions.MaxQueuedRequests)} = {max}); retry later.");
        }
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

    private List<LocalGenerationResult> GenerateCore(IReadOnlyList<int> prompt, int n, LocalGenerationSettings settings, Action<int, int, string>? onToken, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var defaults = Descriptor.Defaults;
        var explicitSampling = settings.Temperature is > 0 || settings.TopP is not null || settings.TopK is not null;
        var doSample = settings.DoSample ?? (explicitSampling || (defaults.DoSample ?? false));
        var vocab = VocabSize;
        var sampler = new TokenSampler(vocab, !doSample, settings.Temperature ?? defaults.Temperature ?? 1f, settings.TopK ?? defaults.TopK ?? 0,
            settings.TopP ?? defaults.TopP ?? 1f, settings.RepetitionPenalty ?? defaults.RepetitionPenalty ?? 1f, settings.Seed);
        var time = _options.TimeProvider;
        if (_logits.Length < n * vocab)
        {
            _logits = new float[n * vocab];
        }

        using var runOptions = new RunOptions();
        using var registration = ct.Register(() => runOptions.Terminate = true);
        var started = time.GetTimestamp();

        // Prefix reuse: keep the cached positions shared with the new prompt (at least one prompt token must run).
        var common = 0;
        if (_options.EnablePrefixReuse && _conversation is not null)
        {
            var limit = Math.Min(Math.Min(_cachedTokens.Count, prompt.Count - 1), _conversation.Length);
            while (common < limit && _cachedTokens[common] == prompt[common])
            {
                common++;
            }
        }

        if (common == 0)
        {
            _conversation?.Dispose();
            _conversation = null;
            _cachedTokens.Clear();
            _conversation = _session.CreateCache(1);
        }
        else if (common < _conversation!.Length && _conversation.IsShared)
        {
            // Shared buffers: positions past the kept prefix are simply overwritten by the next run.
            _conversation.Advance(common);
            _cachedTokens.RemoveRange(common, _cachedTokens.Count - common);
        }
        else if (common < _conversation.Length)
        {
            var trimmed = _conversation.CopyPrefix(common, 1);
            _conversation.Dispose();
            _conversation = trimmed;
            _cachedTokens.RemoveRange(common, _cachedTokens.Count - common);
        }

        var conversation = _conversation!;
        var feed = new int[prompt.Count - common];
        for (var i = 0; i < feed.Length; i++)
        {
            feed[i] = prompt[common + i];
        }

        Run(feed, feed.Length, conversation, runOptions, _logits.AsSpan(0, vocab), ct);
        _cachedTokens.AddRange(feed);
        KvCache decodeCache = conversation;
        if (n > 1)
        {
            decodeCache = conversation.CopyPrefix(conversation.Length, n);
            for (var r = 1; r < n; r++)
            {
                _logits.AsSpan(0, vocab).CopyTo(_logits.AsSpan(r * vocab, vocab));
            }
        }

        try
        {
            return Decode(prompt, common, n, settings, sampler, decodeCache, runOptions, started, onToken, ct);
        }
        finally
        {
            if (n > 1)
            {
                decodeCache.Dispose();
            }
        }
    }

    // Runs once per request but loops over every step and row: compiled fully optimised up front rather than entering
    // through tier-0 on-stack replacement, which made the per-row work of n-way sampling cost more than the batched step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<LocalGenerationResult> Decode(IReadOnlyList<int> prompt, int cached, int n, LocalGenerationSettings settings, TokenSampler sampler,
        KvCache cache, RunOptions runOptions, long started, Action<int, int, string>? onToken, CancellationToken ct)
    {
        var vocab = VocabSize;
        var time = _options.TimeProvider;
        var rows = new Row[n];
        for (var r = 0; r < n; r++)
        {
            rows[r] = new Row(new StreamingDetokenizer(_tokenizer), vocab) { Constraint = settings.Constraint?.Start(ConstraintVocabulary) };
            if (sampler.RepetitionPenalty != 1f)
            {
                foreach (var t in prompt)
                {
                    rows[r].Seen[t] = true;
                }
            }
        }

        var stops = settings.StopSequences;
        var longestStop = 0;
        foreach (var stop in stops)
        {
            longestStop = Math.Max(longestStop, stop.Length);
        }

        var next = new int[n];

        // slots[r]: row r's position in the batch (its logits and next token); finished rows leave the batch when
        // CompactFinishedRows is on, so later steps compute only the rows still generating.
        var slots = new int[n];
        for (var r = 0; r < n; r++)
        {
            slots[r] = r;
        }

        var batch = n;
        TimeSpan prefill = default;
        long decodeStarted = 0;
        var steps = 0;
        while (true)
        {
            var active = 0;
            for (var r = 0; r < n; r++)
            {
                var row = rows[r];
                if (row.Finish is not null)
                {
                    continue;
                }

                var banned = row.Tokens.Count < settings.MinTokens && row.Constraint is null ? _eosIds : [];
                var logits = _logits.AsSpan(slots[r] * vocab, vocab);
                if (row.Constraint is { } constraint)
                {
                    var left = Math.Min(settings.MaxTokens, ContextLength - prompt.Count) - row.Tokens.Count;
                    if (!constraint.Mask(logits, left))
                    {
                        // Nothing can continue the text (the tokenizer lacks the bytes it needs): end it as cut off.
                        row.Text.Append(row.Detokenizer.Flush());
                        row.Finish = LocalFinishReason.Length;
                        continue;
                    }
                }

                var token = sampler.Next(logits, row.Seen, banned);
                row.Tokens.Add(token);
                row.Seen[token] = true;
                next[slots[r]] = token;
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
                else
                {
                    active++;
                }

                if (onToken is not null)
                {
                    var safe = row.Finish is null ? row.Text.Length - HoldBack(row.Text, stops) : row.Text.Length;
                    var delta = safe > row.Emitted ? row.Text.ToString(row.Emitted, safe - row.Emitted) : string.Empty;
                    row.Emitted = Math.Max(row.Emitted, safe);
                    onToken(r, token, delta);
                }
            }

            if (steps == 0 && decodeStarted == 0)
            {
                prefill = time.GetElapsedTime(started);
                decodeStarted = time.GetTimestamp();
            }

            if (active == 0)
            {
                break;
            }

            if (active < batch && CompactFinishedRows)
            {
                var keep = new int[active];
                var i = 0;
                for (var r = 0; r < n; r++)
                {
                    if (rows[r].Finish is null)
                    {
                        keep[i] = slots[r];
                        slots[r] = i;
                        next[i] = rows[r].Tokens[^1];
                        i++;
                    }
                }

                cache.KeepRows(keep);
                batch = active;
            }

            Run(next.AsSpan(0, batch), 1, cache, runOptions, _logits.AsSpan(0, batch * vocab), ct);
            RowStepsComputed += batch;
            steps++;
            if (n == 1)
            {
                _cachedTokens.Add(next[0]);
            }
        }

        var decode = time.GetElapsedTime(decodeStarted);
        var results = new List<LocalGenerationResult>(n);
        foreach (var row in rows)
        {
            results.Add(new LocalGenerationResult
            {
                TokenIds = row.Tokens,
                Text = row.Text.ToString(),
                FinishReason = row.Finish!.Value,
                PromptTokens = prompt.Count,
                CachedPromptTokens = cached,
                PrefillTime = prefill,
                DecodeTime = decode,
                DecodeSteps = steps,
            });
        }

        _logger.LogDebug("Generated {Count} sequence(s): prompt {Prompt} ({Cached} cached), {Steps} decode steps, prefill {Prefill} ms, decode {Decode} ms.",
            n, prompt.Count, cached, steps, prefill.TotalMilliseconds, decode.TotalMilliseconds);
        return results;
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

    /// <summary>Releases the ONNX Runtime session and the KV cache; waits for a running request to finish.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _gate.Wait();
        try
        {
            _disposed = true;
            _conversation?.Dispose();
            _conversation = null;
            _session.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Row(StreamingDetokenizer detokenizer, int vocab)
    {
        public StreamingDetokenizer Detokenizer { get; } = detokenizer;

        public List<int> Tokens { get; } = [];

        public StringBuilder Text { get; } = new();

        public bool[] Seen { get; } = new bool[vocab];

        public int Emitted { get; set; }

        public LocalFinishReason? Finish { get; set; }

        /// <summary>Gets the JSON automaton this row's tokens must follow, or null.</summary>
        public JsonTokenConstraint? Constraint { get; init; }
    }
}
