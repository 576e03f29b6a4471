using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Agents.LocalEngine.Tests.TestModels;

/// <summary>Trains a small byte-level BPE on a fixed corpus and writes it as a Hugging Face tokenizer.json.</summary>
public static class TestTokenizerWriter
{
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public const string Corpus =
        "The quick brown fox jumps over the lazy dog. Hello world! Hello there, how are you today? " +
        "I am a small language model running on the local engine. The weather in Paris is sunny and warm. " +
        "Please call the tool with the arguments you need. The answer is 42, and the question is unknown. " +
        "Agents research the web, read pages, take notes and write reports within a budget of tokens. " +
        "User: what is the capital of France? Assistant: the capital of France is Paris. " +
        "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}} numbers 0123456789 café naïve € ☃ 日本語";

    /// <summary>Byte → printable character map used by byte-level BPE (GPT-2).</summary>
    public static char[] ByteToChar()
    {
        var map = new char[256];
        var n = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(256 + n++);
        }

        return map;
    }

    /// <summary>Writes tokenizer.json; returns the token → id map (BPE tokens then <paramref name="specialTokens"/> at the top of the vocab).</summary>
    public static Dictionary<string, int> Write(string path, int vocabSize, IReadOnlyList<string> specialTokens)
    {
        var map = ByteToChar();
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var b = 0; b < 256; b++)
        {
            vocab[map[b].ToString()] = b;
        }

        var words = new List<List<string>>();
        foreach (Match m in Regex.Matches(Corpus, Gpt2Pattern))
        {
            words.Add([.. Encoding.UTF8.GetBytes(m.Value).Select(b => map[b].ToString())]);
        }

        var merges = new List<string>();
        var budget = vocabSize - specialTokens.Count - 256;
        while (merges.Count < budget)
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var w in words)
            {
                for (var i = 0; i + 1 < w.Count; i++)
                {
                    counts[(w[i], w[i + 1])] = counts.GetValueOrDefault((w[i], w[i + 1])) + 1;
                }
            }

            if (counts.Count == 0)
            {
                break;
            }

            var best = counts.OrderByDescending(kv => kv.Value)
                .ThenBy(kv => kv.Key.Item1 + "\u0001" + kv.Key.Item2, StringComparer.Ordinal).First().Key;
            var merged = best.Item1 + best.Item2;
            if (vocab.ContainsKey(merged))
            {
                // Already reachable; merge the words but spend no id.
                MergeAll(words, best, merged);
                merges.Add($"{best.Item1} {best.Item2}");
                continue;
            }

            vocab[merged] = vocab.Count;
            merges.Add($"{best.Item1} {best.Item2}");
            MergeAll(words, best, merged);
        }

        var added = new JsonArray();
        for (var i = 0; i < specialTokens.Count; i++)
        {
            var id = vocabSize - specialTokens.Count + i;
            added.Add(new JsonObject
            {
                ["id"] = id,
                ["content"] = specialTokens[i],
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = !specialTokens[i].Contains("tool_call", StringComparison.Ordinal),
            });
        }

        var vocabJson = new JsonObject();
        foreach (var (token, id) in vocab.OrderBy(kv => kv.Value))
        {
            vocabJson[token] = id;
        }

        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = Gpt2Pattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["vocab"] = vocabJson,
                ["merges"] = new JsonArray([.. merges.Select(m => (JsonNode)JsonValue.Create(m)!)]),
            },
        };
        File.WriteAllText(path, root.ToJsonString());
        for (var i = 0; i < specialTokens.Count; i++)
        {
            vocab[specialTokens[i]] = vocabSize - specialTokens.Count + i;
        }

        return vocab;
    }

    private static void MergeAll(List<List<string>> words, (string, string) pair, string merged)
    {
        foreach (var w in words)
        {
            for (var i = 0; i + 1 < w.Count; i++)
            {
                if (w[i] == pair.Item1 && w[i + 1] == pair.Item2)
                {
                    w[i] = merged;
                    w.RemoveAt(i + 1);
                }
            }
        }
    }
}
