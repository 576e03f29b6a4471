using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Agents.LocalEngine.Constraints;
using Agents.LocalEngine.Generation;
using Agents.LocalEngine.Tests.TestModels;
using Microsoft.ML.OnnxRuntime;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>
/// Constrained against unconstrained decode step at vocab 32000: back-to-back pairs of one plain step (model step and
/// sampling) and one constrained step (the same, plus the JSON-schema mask and advancing the automaton), on a random model
/// of the given shape. The mask works over a synthetic 32000-token vocabulary shaped like a SentencePiece/BPE one (byte
/// tokens, words with and without a leading space, digits, punctuation runs with quotes and newlines, multi-byte pieces):
/// the test tokenizer has only a few hundred real tokens. Prints medians of the pair ratios and of the mask's own cost.
/// </summary>
internal static class ConstrainedCommand
{
    private const int Vocab = 32000;

    /// <summary>Tokens allowed per JSON text: tight enough that texts complete and the automaton visits every kind of state.</summary>
    private const int TextBudget = 100;

    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string" },
            "age": { "type": "integer" },
            "score": { "type": "number" },
            "tags": { "type": "array", "items": { "type": "string" } },
            "kind": { "enum": ["cat", "dog", 7] },
            "note": { "anyOf": [ { "type": "string" }, { "type": "null" } ] },
            "ok": { "type": "boolean" },
            "address": {
              "type": "object",
              "properties": { "city": { "type": "string" }, "zip": { "type": ["integer", "null"] } },
              "required": ["city", "zip"],
              "additionalProperties": false
            }
          },
          "required": ["name", "age", "kind", "address"],
          "additionalProperties": false
        }
        """;

    public static int Run(string[] args)
    {
        var pairs = 400;
        var threads = 1;
        var big = false;
        var jsonMode = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--pairs": pairs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--big": big = true; break;
                case "--json-mode": jsonMode = true; break;
                default:
                    Console.Error.WriteLine("usage: constrained [--pairs N] [--threads N] [--big] [--json-mode]");
                    return 2;
            }
        }

        var spec = big
            ? new TinyLlamaSpec { VocabSize = Vocab, Hidden = 512, Layers = 8, Heads = 8, KvHeads = 4, Intermediate = 1376, MaxPositions = 512 }
            : new TinyLlamaSpec { VocabSize = Vocab, Hidden = 256, Layers = 4, Heads = 8, KvHeads = 4, Intermediate = 688, MaxPositions = 512 };
        var dir = Path.Combine(Path.GetTempPath(), "agents-constrained-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.Error.WriteLine("Building the model...");
            TestModelFactory.Create(dir, spec: spec);
            using var engine = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { IntraOpNumThreads = threads, EnablePrefixReuse = false });
            var session = engine.Session;
            var tokens = SyntheticVocabulary(Vocab - 1);
            var eos = Vocab - 1;
            var sw = Stopwatch.StartNew();
            var vocabulary = new ConstraintVocabulary(session.VocabSize, id => id < tokens.Length ? tokens[id] : [], [eos]);
            var build = sw.Elapsed.TotalMilliseconds;
            using var schemaDoc = JsonDocument.Parse(Schema);
            var spec2 = JsonConstraintSpec.Json(jsonMode ? null : schemaDoc.RootElement.Clone());

            var plain = new Loop(session, null, vocabulary, 1);
            var constrained = new Loop(session, spec2, vocabulary, 2);
            for (var w = 0; w < 30; w++)
            {
                plain.Step();
                constrained.Step();
            }

            var ratios = new List<double>();
            var maskShare = new List<double>();
            var plainMs = new List<double>();
            var constrainedMs = new List<double>();
            var maskUs = new List<double>();
            var stringMaskUs = new List<double>();
            var otherMaskUs = new List<double>();
            for (var p = 0; p < pairs; p++)
            {
                // Alternate which goes first so that neither always runs on a warmer cache.
                double a, b;
                if (p % 2 == 0)
                {
                    a = plain.Step();
                    b = constrained.Step();
                }
                else
                {
                    b = constrained.Step();
                    a = plain.Step();
                }

                ratios.Add(b / a);
                plainMs.Add(a);
                constrainedMs.Add(b);
                maskUs.Add(constrained.LastMaskMs * 1000);
                (constrained.LastInString ? stringMaskUs : otherMaskUs).Add(constrained.LastMaskMs * 1000);
                maskShare.Add(constrained.LastMaskMs / a);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(jsonMode ? "ChatResponseFormat.Json (any object)" : "JSON schema (8 properties, nested object, enum, anyOf)")}; model: vocab {Vocab}, hidden {spec.Hidden}, {spec.Layers} layers; ORT threads {threads}; {pairs} pairs; cores {Environment.ProcessorCount}; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vocabulary index built in {build:F0} ms ({vocabulary.All.Byte.Length} trie nodes; {vocabulary.PlainString.Count(x => x)} plain-string tokens); {constrained.Completed} JSON texts completed, all valid: {constrained.AllValid}"));
            Console.WriteLine();
            Console.WriteLine("| plain step ms (median) | constrained step ms (median) | constrained / plain (median of pair ratios) | mask µs (median) | mask µs in strings / elsewhere (medians) | mask / plain step (median) | p90 mask / plain step | max mask µs |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Median(plainMs):F3} | {Median(constrainedMs):F3} | {Median(ratios):F3} | {Median(maskUs):F0} | {Median(stringMaskUs):F0} / {Median(otherMaskUs):F0} | {Median(maskShare) * 100:F1} % | {Percentile(maskShare, 0.9) * 100:F1} % | {maskUs.Max():F0} |"));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }

        return 0;
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
    }

    /// <summary>Token byte strings shaped like a 32k SentencePiece/BPE vocabulary (deterministic).</summary>
    private static byte[][] SyntheticVocabulary(int count)
    {
        var rng = new Random(42);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<byte[]>();
        for (var b = 0; b < 256; b++)
        {
            list.Add([(byte)b]);
        }

        const string letters = "eeeeeeeeeeeetttttttttaaaaaaaaoooooooiiiiiiinnnnnnnsssssshhhhhhrrrrrrdddllllcccuuummwwffggyyppbbvkjxqz";
        const string punct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        string[] common = ["\",", "\":", "{\"", "\"}", "\",\n", "\"]", "[\"", "(\"", ".\n", "\n\n", "  ", "    ", "\t", "()", ");", "},", "\":\"", "\\n", "\\\"", "='", "->", "\n", " {", " }", " [", "]", "\":{", "\": \"", "\", \"", "0", "00", "000"];
        foreach (var c in common)
        {
            if (seen.Add(c))
            {
                list.Add(Encoding.UTF8.GetBytes(c));
            }
        }

        while (list.Count < count)
        {
            var r = rng.NextDouble();
            var sb = new StringBuilder();
            if (r < 0.55 || r < 0.80)
            {
                if (r < 0.55)
                {
                    sb.Append(' ');
                }

                var len = 1 + rng.Next(9);
                for (var i = 0; i < len; i++)
                {
                    var ch = letters[rng.Next(letters.Length)];
                    sb.Append(i == 0 && rng.NextDouble() < 0.1 ? char.ToUpperInvariant(ch) : ch);
                }
            }
            else if (r < 0.86)
            {
                if (rng.NextDouble() < 0.5)
                {
                    sb.Append(' ');
                }

                var len = 1 + rng.Next(3);
                for (var i = 0; i < len; i++)
                {
                    sb.Append((char)('0' + rng.Next(10)));
                }
            }
            else if (r < 0.93)
            {
                var len = 1 + rng.Next(3);
                for (var i = 0; i < len; i++)
                {
                    sb.Append(punct[rng.Next(punct.Length)]);
                }
            }
            else
            {
                if (rng.NextDouble() < 0.3)
                {
                    sb.Append(' ');
                }

                var len = 1 + rng.Next(2);
                for (var i = 0; i < len; i++)
                {
                    sb.Append(rng.NextDouble() < 0.5 ? (char)(0x430 + rng.Next(32)) : (char)(0x4E00 + rng.Next(2000)));
                }
            }

            if (seen.Add(sb.ToString()))
            {
                list.Add(Encoding.UTF8.GetBytes(sb.ToString()));
            }
        }

        return [.. list];
    }

    /// <summary>One decode loop (batch 1) with its own cache; restarts the JSON text when it completes and the cache when it fills.</summary>
    private sealed class Loop
    {
        private readonly Runtime.DecoderSession _session;
        private readonly JsonConstraintSpec? _spec;
        private readonly ConstraintVocabulary _vocabulary;
        private readonly TokenSampler _sampler;
        private readonly float[] _logits;
        private readonly bool[] _seen;
        private readonly RunOptions _runOptions = new();
        private readonly List<byte> _text = [];
        private Runtime.KvCache _cache;
        private JsonTokenConstraint? _constraint;
        private int _next = 1;
        private int _length;
        private int _textTokens;

        public Loop(Runtime.DecoderSession session, JsonConstraintSpec? spec, ConstraintVocabulary vocabulary, long seed)
        {
            _session = session;
            _spec = spec;
            _vocabulary = vocabulary;
            _sampler = new TokenSampler(session.VocabSize, false, 1f, 0, 1f, 1f, seed);
            _logits = new float[session.VocabSize];
            _seen = new bool[session.VocabSize];
            _cache = session.CreateCache(1);
            _constraint = spec?.Start(vocabulary);
        }

        public double LastMaskMs { get; private set; }

        public bool LastInString { get; private set; }

        public int Completed { get; private set; }

        public bool AllValid { get; private set; } = true;

        /// <summary>One step; returns its wall time in ms.</summary>
        public double Step()
        {
            if (_length >= 480)
            {
                _cache.Dispose();
                _cache = _session.CreateCache(1);
                _length = 0;
            }

            var start = Stopwatch.GetTimestamp();
            _session.Forward([_next], 1, _cache, _runOptions, _logits);
            _length++;
            if (_constraint is { } c)
            {
                var maskStart = Stopwatch.GetTimestamp();
                LastInString = c.InPlainString;
                c.Mask(_logits, TextBudget - _textTokens);
                _textTokens++;
                _next = _sampler.Next(_logits, _seen, []);
                c.Accept(_next);
                LastMaskMs = Stopwatch.GetElapsedTime(maskStart).TotalMilliseconds;
                if (LastMaskMs > 5 && Environment.GetEnvironmentVariable("BENCH_TRACE") is not null)
                {
                    Console.Error.WriteLine($"slow mask {LastMaskMs:F1} ms after '{Encoding.UTF8.GetString([.. _text])}' GC gen0 {GC.CollectionCount(0)}");
                }

                _text.AddRange(_vocabulary.TokenBytes[_next]);
                if (c.IsFinished || c.IsAccepting && _next == _vocabulary.EndOfSequenceIds[0])
                {
                    Completed++;
                    try
                    {
                        using var doc = JsonDocument.Parse(_text.ToArray());
                    }
                    catch (JsonException)
                    {
                        AllValid = false;
                    }

                    _text.Clear();
                    _textTokens = 0;
                    _constraint = _spec!.Start(_vocabulary);
                }
            }
            else
            {
                _next = _sampler.Next(_logits, _seen, []);
            }

            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }
}
