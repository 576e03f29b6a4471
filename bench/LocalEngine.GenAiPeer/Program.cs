using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntimeGenAI;

// The onnxruntime-genai side of `Agents.LocalEngine.Benchmarks peer` (see docs/benchmarks.md).
// usage: serve MODEL_DIR --prompt ID,ID,... --tokens N
// Loads the model, decodes once to warm up and prints "READY"; then, for every "run" line on stdin, decodes N new
// tokens greedily after the prompt (end-of-sequence suppressed with min_length) and prints one line:
// "RESULT ms_per_token=<decode ms per token> cpu_ms_per_token=<process CPU ms per token> tokens=<ids>". Ends at the end of stdin.
if (args.Length < 2 || args[0] != "serve")
{
    Console.Error.WriteLine("usage: serve MODEL_DIR --prompt ID,ID,... --tokens N");
    return 2;
}

var dir = args[1];
int[] prompt = [];
var tokens = 128;
for (var i = 2; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--prompt": prompt = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
        case "--tokens": tokens = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

if (prompt.Length == 0 || tokens < 2)
{
    Console.Error.WriteLine("--prompt must name ids and --tokens must be >= 2");
    return 2;
}

using var model = new Model(dir);

// Decode time per token: from the first generated token to the last (the prefill and the first token are left out,
// as in the engine's DecodeTime / DecodeSteps).
(double MsPerToken, double CpuMsPerToken, int[] Ids) Decode()
{
    using var generatorParams = new GeneratorParams(model);
    generatorParams.SetSearchOption("max_length", prompt.Length + tokens);
    generatorParams.SetSearchOption("min_length", prompt.Length + tokens);
    generatorParams.SetSearchOption("do_sample", false);
    using var generator = new Generator(model, generatorParams);
    generator.AppendTokens(prompt);
    generator.GenerateNextToken();
    var cpu = Environment.CpuUsage.TotalTime;
    var sw = Stopwatch.StartNew();
    var steps = 0;
    while (!generator.IsDone())
    {
        generator.GenerateNextToken();
        steps++;
    }

    sw.Stop();
    var cpuMs = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds;
    var sequence = generator.GetSequence(0).ToArray();
    return (sw.Elapsed.TotalMilliseconds / Math.Max(1, steps), cpuMs / Math.Max(1, steps), sequence[prompt.Length..]);
}

Decode();
Console.WriteLine("READY");
while (Console.ReadLine() is { } line)
{
    if (line == "run")
    {
        var (ms, cpuMs, ids) = Decode();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT ms_per_token={ms:F4} cpu_ms_per_token={cpuMs:F4} tokens={string.Join(',', ids)}"));
    }
}

return 0;
