using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Agents.LocalEngine.Generation;
using Agents.LocalEngine.Tests.TestModels;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>
/// The engine against onnxruntime-genai 0.20.0 on the same random Llama models: each side decodes the same prompt ids
/// greedily in its own long-lived process (the two native runtimes differ); the driver asks the two for one decode each,
/// back to back in alternating order (a pair), idle and with one other process busy on one core in turn, and reports
/// the median of the pairs' speed ratios.
/// </summary>
internal static class PeerCommand
{
    /// <summary>Tokens of the short run that the engine side subtracts to get its marginal CPU per step.</summary>
    private const int ShortTokens = 16;

    private const string Usage =
        "usage: peer [--models tiny,small,big] [--load idle,busy] [--pairs N] [--tokens N] [--genai PATH] " +
        "[--threads N] [--spin 0|1] [--mem-pattern 0|1] [--arena 0|1] [--config ORT_SESSION_KEY=VALUE]... [--genai-threads N] [--models-dir DIR]";

    /// <summary>The models of the peer bench, by name.</summary>
    private static readonly Dictionary<string, (string Label, TinyLlamaSpec Spec)> Models = new(StringComparer.Ordinal)
    {
        ["tiny"] = ("tiny (vocab 512, hidden 64, 2 layers)", new TinyLlamaSpec { MaxPositions = 512 }),
        ["small"] = ("small (vocab 8192, hidden 256, 4 layers)", new TinyLlamaSpec { VocabSize = 8192, Hidden = 256, Layers = 4, Heads = 8, KvHeads = 4, Intermediate = 688, MaxPositions = 512 }),
        ["big"] = ("big (vocab 32000, hidden 512, 8 layers)", new TinyLlamaSpec { VocabSize = 32000, Hidden = 512, Layers = 8, Heads = 8, KvHeads = 4, Intermediate = 1376, MaxPositions = 512 }),
    };

    public static int Run(string[] args)
    {
        string[] models = ["tiny", "small", "big"];
        string[] loads = ["idle", "busy"];
        var pairs = 15;
        var tokens = 64;
        string? genai = null;
        string? modelsDir = null;
        var engineArgs = new List<string>();
        int? genaiThreads = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--models": models = args[++i].Split(','); break;
                case "--load": loads = args[++i].Split(','); break;
                case "--pairs": pairs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tokens": tokens = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--genai": genai = args[++i]; break;
                case "--models-dir": modelsDir = args[++i]; break;
                case "--threads" or "--spin" or "--config" or "--mem-pattern" or "--arena": engineArgs.Add(args[i]); engineArgs.Add(args[++i]); break;
                case "--genai-threads": genaiThreads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        if (models.Any(m => !Models.ContainsKey(m)) || loads.Any(l => l is not ("idle" or "busy")) || pairs < 1 || tokens <= ShortTokens)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        genai ??= DefaultGenAiPath();
        if (!File.Exists(genai))
        {
            Console.Error.WriteLine($"The genai peer is not built at {genai}: run `dotnet build bench/LocalEngine.GenAiPeer -c Release` first, or pass --genai PATH.");
            return 2;
        }

        var root = modelsDir ?? Path.Combine(Path.GetTempPath(), "agents-localengine-peer-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pairs={pairs} tokens={tokens} engine args=[{string.Join(' ', engineArgs)}] genai intra_op_num_threads={(genaiThreads?.ToString(CultureInfo.InvariantCulture) ?? "genai default")} cores={Environment.ProcessorCount} loadavg={LoadAverage()}"));
            Console.WriteLine();
            Console.WriteLine("| model | load | engine ms/token | genai ms/token | engine speed / genai's: median of pair ratios (range) | genai CPU / engine CPU per token (median of pairs) | same tokens |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var name in models)
            {
                var (label, spec) = Models[name];
                var (engineDir, genaiDir) = WriteModel(Path.Combine(root, name), spec, genaiThreads);
                var prompt = string.Join(',', Enumerable.Range(0, 16).Select(i => ((i * 37 % (spec.VocabSize - 16)) + 1).ToString(CultureInfo.InvariantCulture)));
                string[] common = ["--prompt", prompt, "--tokens", tokens.ToString(CultureInfo.InvariantCulture)];
                using var engine = PeerProcess.Start(Path.Combine(AppContext.BaseDirectory, "Agents.LocalEngine.Benchmarks"), ["peer-engine", engineDir, .. common, .. engineArgs]);
                using var peer = PeerProcess.Start(genai, ["serve", genaiDir, .. common]);
                var samples = loads.ToDictionary(l => l, _ => (Engine: new List<double>(), GenAi: new List<double>(), Ratios: new List<double>(), CpuRatios: new List<double>()), StringComparer.Ordinal);
                var same = true;
                for (var p = 0; p < pairs; p++)
                {
                    foreach (var load in loads)
                    {
                        using var busy = load == "busy" ? StartBusyLoop() : null;
                        var engineFirst = p % 2 == 0;
                        var first = (engineFirst ? engine : peer).Decode();
                        var second = (engineFirst ? peer : engine).Decode();
                        var (e, g) = engineFirst ? (first, second) : (second, first);
                        if (busy is not null)
                        {
                            busy.Kill();
                            busy.WaitForExit();
                        }

                        var (engineMs, genaiMs, ratios, cpuRatios) = samples[load];
                        engineMs.Add(e.MsPerToken);
                        genaiMs.Add(g.MsPerToken);
                        ratios.Add(g.MsPerToken / e.MsPerToken);
                        cpuRatios.Add(g.CpuMsPerToken / e.CpuMsPerToken);
                        same &= e.Tokens == g.Tokens;
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {load} pair {p}: engine {e.MsPerToken:F3} ms, genai {g.MsPerToken:F3} ms, ratio {g.MsPerToken / e.MsPerToken:F2}, CPU engine {e.CpuMsPerToken:F3} genai {g.CpuMsPerToken:F3}{e.Breakdown}"));
                    }
                }

                foreach (var load in loads)
                {
                    var (engineMs, genaiMs, ratios, cpuRatios) = samples[load];
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {label} | {(load == "idle" ? "idle" : "one busy process")} | {Median(engineMs):F3} | {Median(genaiMs):F3} | {Median(ratios):F2}× ({ratios.Min():F2}-{ratios.Max():F2}) | {Median(cpuRatios):F2}× | {(same ? "yes" : "NO")} |"));
                }
            }

            Console.WriteLine();
            Console.WriteLine($"loadavg at the end: {LoadAverage()}");
        }
        finally
        {
            if (modelsDir is null && Directory.Exists(root))
            {
                Directory.Delete(root, true);
            }
        }

        return 0;
    }

    /// <summary>
    /// The engine side, in its own process: <c>peer-engine DIR --prompt IDS --tokens N [--threads N] [--spin 0|1] [--config KEY=VALUE]</c>;
    /// the same protocol as the genai peer (READY, then one RESULT line per "run" line on stdin).
    /// </summary>
    public static async Task<int> RunEngineAsync(string[] args)
    {
        var dir = args[0];
        int[] prompt = [];
        var tokens = 64;
        var options = new LocalOnnxEngineOptions { EnablePrefixReuse = false };
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--prompt": prompt = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--tokens": tokens = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": options.IntraOpNumThreads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--spin": options.IntraOpSpinning = args[++i] == "1"; break;
                case "--mem-pattern": options.EnableMemoryPattern = args[++i] == "1"; break;
                case "--arena": options.EnableCpuMemArena = args[++i] == "1"; break;
                case "--config":
                    var entry = args[++i].Split('=', 2);
                    options.SessionConfigEntries[entry[0]] = entry[1];
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument {args[i]}");
                    return 2;
            }
        }

        using var engine = new LocalOnnxEngine(dir, options);
        var greedy = new LocalGenerationSettings { MaxTokens = tokens, MinTokens = tokens, DoSample = false };
        var shortRun = new LocalGenerationSettings { MaxTokens = ShortTokens, MinTokens = ShortTokens, DoSample = false };
        await engine.GenerateAsync(prompt, greedy);
        Console.WriteLine("READY");
        while (Console.ReadLine() is { } line)
        {
            if (line == "run")
            {
                // Process CPU per decode step, marginal: (CPU of the full run - CPU of a 16-token run) / the extra steps
                // (the prefill cancels out; genai's side measures its decode loop directly).
                var a = Environment.CpuUsage.TotalTime;
                await engine.GenerateAsync(prompt, shortRun);
                var b = Environment.CpuUsage.TotalTime;
                var before = engine.Profile;
                var result = await engine.GenerateAsync(prompt, greedy);
                var c = Environment.CpuUsage.TotalTime;
                var profile = engine.Profile - before;
                var steps = Math.Max(1, profile.Steps);
                var cpuMs = ((c - b) - (b - a)).TotalMilliseconds / (tokens - ShortTokens);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT ms_per_token={result.DecodeTime.TotalMilliseconds / result.DecodeSteps:F4} cpu_ms_per_token={cpuMs:F4} tokens={string.Join(',', result.TokenIds)} " +
                    $"run_ms={profile.Run.TotalMilliseconds / steps:F4} choose_ms={profile.Choose.TotalMilliseconds / steps:F4} scheduling_ms={profile.Scheduling.TotalMilliseconds / steps:F4}"));
            }
        }

        return 0;
    }

    /// <summary>Writes the Optimum folder and, beside it, a genai folder (genai_config.json and a link to the same ONNX file).</summary>
    private static (string Engine, string GenAi) WriteModel(string directory, TinyLlamaSpec spec, int? genaiThreads)
    {
        var genaiDir = directory + "-genai";
        if (!File.Exists(Path.Combine(genaiDir, "genai_config.json")))
        {
            Console.Error.WriteLine($"Writing {directory}...");
            var model = TestModelFactory.Create(directory, spec: spec);
            Directory.CreateDirectory(genaiDir);
            File.CreateSymbolicLink(Path.Combine(genaiDir, "model.onnx"), Path.GetFullPath(model.ModelFile));
            int[] eos = [model.Vocab["<|im_end|>"], model.Vocab["<|endoftext|>"]];
            File.WriteAllText(Path.Combine(genaiDir, "genai_config.json"), GenAiConfig(spec, eos).ToJsonString());
        }

        // The thread option may change between runs over the same --models-dir.
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(genaiDir, "genai_config.json")))!;
        var sessionOptions = config["model"]!["decoder"]!["session_options"]!.AsObject();
        sessionOptions.Remove("intra_op_num_threads");
        if (genaiThreads is { } threads)
        {
            sessionOptions["intra_op_num_threads"] = threads;
        }

        File.WriteAllText(Path.Combine(genaiDir, "genai_config.json"), config.ToJsonString());
        return (directory, genaiDir);
    }

    /// <summary>genai's description of an Optimum export (Concat cache, so no shared past/present buffer).</summary>
    private static JsonObject GenAiConfig(TinyLlamaSpec spec, int[] eos) => new()
    {
        ["model"] = new JsonObject
        {
            ["bos_token_id"] = eos[1],
            ["context_length"] = spec.MaxPositions,
            ["decoder"] = new JsonObject
            {
                ["session_options"] = new JsonObject { ["log_id"] = "onnxruntime-genai", ["provider_options"] = new JsonArray() },
                ["filename"] = "model.onnx",
                ["head_size"] = spec.HeadDim,
                ["hidden_size"] = spec.Hidden,
                ["inputs"] = new JsonObject
                {
                    ["input_ids"] = "input_ids",
                    ["attention_mask"] = "attention_mask",
                    ["position_ids"] = "position_ids",
                    ["past_key_names"] = "past_key_values.%d.key",
                    ["past_value_names"] = "past_key_values.%d.value",
                },
                ["outputs"] = new JsonObject
                {
                    ["logits"] = "logits",
                    ["present_key_names"] = "present.%d.key",
                    ["present_value_names"] = "present.%d.value",
                },
                ["num_attention_heads"] = spec.Heads,
                ["num_hidden_layers"] = spec.Layers,
                ["num_key_value_heads"] = spec.KvHeads,
            },
            ["eos_token_id"] = new JsonArray([.. eos.Select(e => (JsonNode)e)]),
            ["pad_token_id"] = eos[1],
            ["type"] = "llama",
            ["vocab_size"] = spec.VocabSize,
        },
        ["search"] = new JsonObject
        {
            ["do_sample"] = false,
            ["max_length"] = spec.MaxPositions,
            ["past_present_share_buffer"] = false,
            ["num_return_sequences"] = 1,
        },
    };

    /// <summary>One other process busy on one core: a single-threaded shell loop.</summary>
    private static Process StartBusyLoop()
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("while :; do :; done");
        var process = Process.Start(info)!;
        Thread.Sleep(200);
        return process;
    }

    /// <summary>bench/LocalEngine.GenAiPeer's build output in the same configuration as this one.</summary>
    private static string DefaultGenAiPath()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var tfm = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        var bench = baseDir.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(bench, "LocalEngine.GenAiPeer", "bin", configuration, tfm, "Agents.LocalEngine.GenAiPeer");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
