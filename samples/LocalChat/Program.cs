using System.Globalization;
using System.Text.Json;
using Agents.LocalEngine;
using Agents.LocalEngine.Generation;
using Microsoft.Extensions.AI;

// LocalChat: run a local ONNX model from the command line (see README.md next to this file).
const string Usage = "usage: LocalChat --model DIR (--prompt TEXT | --bench) [--raw] [--max-tokens N] [--greedy] [--min-tokens N] [--json]   (--help for details)";
const string Help = """
    LocalChat: run a local ONNX model folder from the command line, on the Agents.LocalEngine (ONNX Runtime, CPU).

    usage: LocalChat --model DIR --prompt TEXT [options]
           LocalChat --model DIR --bench [--prompt TEXT] [--max-tokens N]

      --model DIR       the model folder: a Hugging Face Optimum / transformers.js export (config.json, tokenizer.json,
                        onnx/model*.onnx) or an onnxruntime-genai folder (genai_config.json, model.onnx); see README.md
      --prompt TEXT     the user message; it is wrapped in the model's chat template unless --raw is given
      --raw             send TEXT as plain text (with the BOS token) instead of a chat turn
      --max-tokens N    the most tokens to generate (default 128)
      --min-tokens N    do not stop at the end-of-sequence token before N tokens (default 0)
      --greedy          always pick the most likely token (default: the model's sampling settings)
      --json            print one JSON object: token_ids, text, prefill_ms, decode_ms_per_token
      --bench           measure speed: one warm-up run, then a greedy run of exactly --max-tokens tokens; prints
                        prefill speed (prompt tokens/s) and decode speed (tokens/s); --prompt is optional here
      -h, --help        this text

    Exit codes: 0 done, 1 the model could not be loaded or generation failed, 2 bad arguments, 130 Ctrl+C.
    """;
const string BenchPrompt = "Summarize in a few sentences why budget limits matter for research agents that search the web, read pages and call tools many times before they answer a question.";

string? model = null, prompt = null;
bool raw = false, greedy = false, json = false, bench = false;
int maxTokens = 128, minTokens = 0;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        int Number()
        {
            var name = args[i];
            var text = Value();
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new ArgumentException($"{name} must be a non-negative integer (was '{text}').");
        }

        switch (args[i])
        {
            case "--model": model = Value(); break;
            case "--prompt": prompt = Value(); break;
            case "--raw": raw = true; break;
            case "--greedy": greedy = true; break;
            case "--json": json = true; break;
            case "--bench": bench = true; break;
            case "--help" or "-h":
                Console.Out.Write(Help);
                return 0;
            case "--max-tokens": maxTokens = Number(); break;
            case "--min-tokens": minTokens = Number(); break;
            default: throw new ArgumentException($"unknown argument '{args[i]}'.");
        }
    }

    if (bench)
    {
        prompt ??= BenchPrompt;
        if (maxTokens == 0)
        {
            throw new ArgumentException("--bench needs --max-tokens of at least 1.");
        }
    }

    if (model is null || prompt is null)
    {
        throw new ArgumentException("--model and --prompt are required.");
    }
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"LocalChat: {ex.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    using var engine = new LocalOnnxEngine(model);
    var ids = raw ? engine.Tokenize(prompt, addBos: true) : engine.TokenizeChat([new ChatMessage(ChatRole.User, prompt)]);
    var settings = new LocalGenerationSettings { MaxTokens = maxTokens, MinTokens = minTokens };
    if (greedy)
    {
        settings.DoSample = false;
    }

    using var cts = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cts.Cancel();
    };

    if (bench)
    {
        return await Bench.RunAsync(engine, ids, maxTokens, json, cts.Token);
    }

    LocalGenerationResult? result = null;
    await foreach (var update in engine.GenerateStreamingAsync(ids, settings, cts.Token))
    {
        if (update.Result is not null)
        {
            result = update.Result;
        }
        else if (!json)
        {
            Console.Write(update.Text);
        }
    }

    if (result is null)
    {
        Console.Error.WriteLine("LocalChat: generation produced no result.");
        return 1;
    }

    if (json)
    {
        var decodePerToken = result.DecodeSteps == 0 ? 0 : result.DecodeTime.TotalMilliseconds / result.DecodeSteps;
        using var stdout = Console.OpenStandardOutput();
        using var writer = new Utf8JsonWriter(stdout);
        writer.WriteStartObject();
        writer.WriteStartArray("token_ids");
        foreach (var id in result.TokenIds)
        {
            writer.WriteNumberValue(id);
        }

        writer.WriteEndArray();
        writer.WriteString("text", result.Text);
        writer.WriteNumber("prefill_ms", Math.Round(result.PrefillTime.TotalMilliseconds, 3));
        writer.WriteNumber("decode_ms_per_token", Math.Round(decodePerToken, 4));
        writer.WriteEndObject();
        writer.Flush();
        stdout.WriteByte((byte)'\n');
    }
    else
    {
        Console.WriteLine();
    }

    return 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("LocalChat: cancelled.");
    return 130;
}
catch (Exception ex) when (ex is LocalModelLoadException or ArgumentException or InvalidOperationException)
{
    Console.Error.WriteLine($"LocalChat: {ex.Message}");
    return 1;
}
