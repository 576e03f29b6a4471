using System.Diagnostics;
using System.Globalization;
using System.Text;
using Agents.LocalEngine;
using Agents.LocalEngine.Generation;
using Agents.LocalEngine.GpuCheck;
using Agents.LocalEngine.Tests.TestModels;
using Microsoft.ML.OnnxRuntime;

// The GPU check (bench/gpu/README.md): writes a random Llama-style model, then measures on the chosen provider the
// exact-token agreement with the CPU, engine decode at batch 1 and 8, a raw IOBinding loop, the same model on the CPU,
// and the step time against the memory-bandwidth floor. Everything goes into one Markdown file.
// usage: --provider cuda|cpu [--size 0.5b|small|tiny] [--tokens N] [--bandwidth-gbs GBS] [--gpu-name NAME] [--out FILE] [--work DIR]
var provider = "cuda";
var size = "0.5b";
var tokens = 64;
double? bandwidth = null;
var gpuName = "unknown";
var output = "gpu-check-results.md";
string? work = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--provider": provider = args[++i]; break;
        case "--size": size = args[++i]; break;
        case "--tokens": tokens = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--bandwidth-gbs": bandwidth = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--gpu-name": gpuName = args[++i]; break;
        case "--out": output = args[++i]; break;
        case "--work": work = args[++i]; break;
        default:
            Console.Error.WriteLine("usage: --provider cuda|cpu [--size 0.5b|small|tiny] [--tokens N] [--bandwidth-gbs GBS] [--gpu-name NAME] [--out FILE] [--work DIR]");
            return 2;
    }
}

var spec = size switch
{
    // Qwen2-0.5B-like shape with a 32000 vocabulary: about 0.42 B parameters.
    "0.5b" => new TinyLlamaSpec { VocabSize = 32000, Hidden = 896, Layers = 24, Heads = 14, KvHeads = 2, Intermediate = 4864, MaxPositions = 512 },
    "small" => new TinyLlamaSpec { VocabSize = 8192, Hidden = 256, Layers = 4, Heads = 8, KvHeads = 4, Intermediate = 688, MaxPositions = 512 },
    "tiny" => new TinyLlamaSpec { MaxPositions = 512 },
    _ => throw new ArgumentException($"unknown --size {size}"),
};
var cuda = provider switch
{
    "cuda" => true,
    "cpu" => false,
    _ => throw new ArgumentException($"unknown --provider {provider}"),
};

var report = new StringBuilder();
void Line(string text)
{
    Console.WriteLine(text);
    report.AppendLine(text);
    File.WriteAllText(output, report.ToString());
}

string F(double value, int digits = 3) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

var total = Stopwatch.StartNew();
work ??= Path.Combine(Path.GetTempPath(), "agents-gpu-check");
var dir = Path.Combine(work, size);
Line($"# LocalEngine GPU check");
Line("");
Line($"- provider: {provider}; GPU: {gpuName}; ONNX Runtime providers available: {string.Join(", ", OrtEnv.Instance().GetAvailableProviders())}");
Line($"- {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
var parameters = ((long)spec.VocabSize * spec.Hidden * 2) + ((long)spec.Layers * ((2L * spec.Hidden * spec.Hidden) + (2L * spec.Hidden * spec.KvHeads * spec.HeadDim) + (3L * spec.Hidden * spec.Intermediate)));
Line($"- model: random Llama-style, vocab {spec.VocabSize}, hidden {spec.Hidden}, {spec.Layers} layers, {spec.Heads} heads / {spec.KvHeads} KV heads, intermediate {spec.Intermediate}: {F(parameters / 1e9, 3)} B parameters, float32 weights");

var sw = Stopwatch.StartNew();
if (!File.Exists(Path.Combine(dir, "onnx", "model.onnx")))
{
    TestModelFactory.Create(dir, TestLayout.OptimumExternalData, spec: spec);
}

var modelPath = Path.Combine(dir, "onnx", "model.onnx");
var weightBytes = new FileInfo(Path.Combine(dir, "onnx", "model.onnx_data")).Length;
Line($"- model written in {F(sw.Elapsed.TotalSeconds, 1)} s ({F(weightBytes / 1e9, 2)} GB of weights)");
Line("");

var prompt = Enumerable.Range(0, 16).Select(i => (i * 37 % (spec.VocabSize - 16)) + 1).ToArray();
var greedy = new LocalGenerationSettings { MaxTokens = tokens, MinTokens = tokens, DoSample = false };
LocalGenerationSettings Sampling() => new() { MaxTokens = tokens, MinTokens = tokens, Temperature = 1f, TopP = 0.95f, Seed = 42 };
var exact = true;

// The same model on the CPU: the reference tokens and the CPU speed.
double cpuMs;
IReadOnlyList<int> cpuTokens;
using (var cpuEngine = new LocalOnnxEngine(dir, new LocalOnnxEngineOptions { EnablePrefixReuse = false }))
{
    await cpuEngine.GenerateAsync(prompt, new LocalGenerationSettings { MaxTokens = 4, MinTokens = 4, DoSample = false });
    var cpu = await cpuEngine.GenerateAsync(prompt, greedy);
    cpuTokens = cpu.TokenIds;
    cpuMs = cpu.DecodeTime.TotalMilliseconds / cpu.DecodeSteps;
}

var options = new LocalOnnxEngineOptions { EnablePrefixReuse = false, ExecutionProvider = cuda ? LocalExecutionProvider.Cuda : LocalExecutionProvider.Cpu };
if (cuda)
{
    // float32 means float32: without this CUDA's MatMul may use TF32 and the tokens drift from the CPU's.
    options.ProviderOptions["use_tf32"] = "0";
}

using var engine = new LocalOnnxEngine(dir, options);
await engine.GenerateAsync(prompt, new LocalGenerationSettings { MaxTokens = 4, MinTokens = 4, DoSample = false });
var batch1 = new List<double>();
IReadOnlyList<int> deviceTokens = [];
for (var r = 0; r < 3; r++)
{
    var result = await engine.GenerateAsync(prompt, greedy);
    deviceTokens = result.TokenIds;
    batch1.Add(result.DecodeTime.TotalMilliseconds / result.DecodeSteps);
}

var agree = cpuTokens.Zip(deviceTokens).TakeWhile(p => p.First == p.Second).Count();
exact &= agree == tokens;
await engine.GenerateManyAsync(prompt, 8, Sampling());
var batch8 = new List<double>();
for (var r = 0; r < 3; r++)
{
    var results = await engine.GenerateManyAsync(prompt, 8, Sampling());
    batch8.Add(results[0].DecodeTime.TotalMilliseconds / results[0].DecodeSteps);
}

using var raw = new IoBindingLoop(modelPath, cuda);
raw.Run(prompt, 4);
var rawMs = new List<double>();
List<int> rawTokens = [];
for (var r = 0; r < 3; r++)
{
    (var ms, rawTokens) = raw.Run(prompt, tokens - 1);
    rawMs.Add(ms);
}

// The raw loop does not suppress end-of-sequence tokens: compare up to the first one it picks.
var firstEos = rawTokens.FindIndex(t => engine.EndOfSequenceTokenIds.Contains(t));
var comparable = firstEos < 0 ? rawTokens.Count : firstEos;
var rawAgree = deviceTokens.Zip(rawTokens.Take(comparable)).TakeWhile(p => p.First == p.Second).Count();

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

double engine1 = Median(batch1), engine8 = Median(batch8), rawStep = Median(rawMs);
Line($"| measure ({tokens} greedy tokens after a 16-token prompt, median of 3) | value |");
Line("|---|---|");
Line($"| exact tokens, {provider} engine vs CPU engine | {agree} / {tokens} agree{(agree == tokens ? " (exact)" : string.Empty)} |");
Line($"| exact tokens, {provider} engine vs raw IOBinding loop | {rawAgree} / {comparable} agree |");
Line($"| engine decode, batch 1 | {F(engine1)} ms/step, {F(1000 / engine1, 1)} tok/s |");
Line($"| engine decode, batch 8 (n = 8 shared prefill) | {F(engine8)} ms/step, {F(8000 / engine8, 1)} tok/s |");
Line($"| raw ORT IOBinding loop (KV cache on the device), batch 1 | {F(rawStep)} ms/step, {F(1000 / rawStep, 1)} tok/s |");
Line($"| engine step / raw IOBinding step | {F(engine1 / rawStep, 2)}× |");
Line($"| same model, engine on CPU, batch 1 | {F(cpuMs)} ms/step, {F(1000 / cpuMs, 1)} tok/s |");
Line($"| speed-up {provider} over CPU, batch 1 | {F(cpuMs / engine1, 2)}× |");
if (bandwidth is { } gbs)
{
    var floor = weightBytes / (gbs * 1e9) * 1e3;
    Line($"| bandwidth floor (weights {F(weightBytes / 1e9, 2)} GB ÷ {F(gbs, 0)} GB/s) | {F(floor, 3)} ms/step |");
    Line($"| engine batch-1 step / floor | {F(engine1 / floor, 2)}× |");
    Line($"| raw IOBinding step / floor | {F(rawStep / floor, 2)}× |");
}
else
{
    Line("| bandwidth floor | not computed (no --bandwidth-gbs) |");
}

Line("");
Line($"Total {F(total.Elapsed.TotalSeconds, 1)} s. Exact-token check: {(exact ? "PASS" : "FAIL")}.");
return exact ? 0 : 1;
