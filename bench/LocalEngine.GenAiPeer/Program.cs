using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntimeGenAI;

// The onnxruntime-genai side of `Agents.LocalEngine.Benchmarks peer` (one process per measurement, see docs/benchmarks.md).
// usage: decode MODEL_DIR --prompt ID,ID,... --tokens N [--runs R]
// Greedy decode of N new tokens after the prompt (end-of-sequence suppressed with min_length), R timed runs after one
// warm-up. Prints one line: "RESULT ms_per_token=<median decode ms per token> tokens=<ids of the last run>".
if (args.Length < 2 || args[0] != "decode")
{
    Console.Error.WriteLine("usage: decode MODEL_DIR --prompt ID,ID,... --tokens N [--runs R]");
    return 2;
}

var dir = args[1];
int[] prompt = [];
var tokens = 128;
var runs = 3;
for (var i = 2; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--prompt": prompt = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
        case "--tokens": tokens = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

if (prompt.Length == 0 || tokens < 2 || runs < 1)
{
    Console.Error.WriteLine("--prompt must name ids, --tokens must be >= 2 and --runs >= 1");
    return 2;
}

using var model = new Model(dir);

// Decode time per token: from the first generated token to the last (the prefill and the first token are left out,
// as in the engine's DecodeTime / DecodeSteps).
(double MsPerToken, int[] Ids) Decode()
{
    using var generatorParams = new GeneratorParams(model);
    generatorParams.SetSearchOption("max_length", prompt.Length + tokens);
    generatorParams.SetSearchOption("min_length", prompt.Length + tokens);
    generatorParams.SetSearchOption("do_sample", false);
    using var generator = new Generator(model, generatorParams);
    generator.AppendTokens(prompt);
    generator.GenerateNextToken();
    var sw = Stopwatch.StartNew();
    var steps = 0;
    while (!generator.IsDone())
    {
        generator.GenerateNextToken();
        steps++;
    }

    sw.Stop();
    var sequence = generator.GetSequence(0).ToArray();
    return (sw.Elapsed.TotalMilliseconds / Math.Max(1, steps), sequence[prompt.Length..]);
}

Decode();
var times = new List<double>();
int[] last = [];
for (var r = 0; r < runs; r++)
{
    (var ms, last) = Decode();
    times.Add(ms);
}

times.Sort();
var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[(times.Count / 2) - 1] + times[times.Count / 2]) / 2;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT ms_per_token={median:F4} tokens={string.Join(',', last)}"));
return 0;
