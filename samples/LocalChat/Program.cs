using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Text.Json;
using Agents.LocalEngine;
using Agents.LocalEngine.Generation;
using Microsoft.Extensions.AI;

// LocalChat: run a local ONNX model from the command line (see README.md next to this file).
const string Usage = "usage: LocalChat --model DIR (--prompt TEXT | --bench) [--raw] [--max-tokens N] [--greedy] [--min-tokens N] [--json]   (--help for details)";
const string BenchPrompt = "Summarize in a few sentences why budget limits matter for research agents that search the web, read pages and call tools many times before they answer a question.";

static Option<int> Count(string name, int fallback, string description)
{
    var option = new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => fallback };
    option.Validators.Add(r =>
    {
        // A value that is not a number is already an error of the parser; here only negative numbers are refused.
        if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n < 0)
        {
            r.AddError($"{name} must be a non-negative integer (was '{r.Tokens[0].Value}').");
        }
    });
    return option;
}

var modelOption = new Option<string>("--model")
{
    Description = "The model folder: a Hugging Face Optimum / transformers.js export (config.json, tokenizer.json, onnx/model*.onnx) or an onnxruntime-genai folder (genai_config.json, model.onnx); see README.md.",
    HelpName = "DIR",
};
var promptOption = new Option<string>("--prompt") { Description = "The user message; it is wrapped in the model's chat template unless --raw is given.", HelpName = "TEXT" };
var rawOption = new Option<bool>("--raw") { Description = "Send TEXT as plain text (with the BOS token) instead of a chat turn." };
var maxTokensOption = Count("--max-tokens", 128, "The most tokens to generate (default 128).");
var minTokensOption = Count("--min-tokens", 0, "Do not stop at the end-of-sequence token before N tokens (default 0).");
var greedyOption = new Option<bool>("--greedy") { Description = "Always pick the most likely token (default: the model's sampling settings)." };
var jsonOption = new Option<bool>("--json") { Description = "Print one JSON object: token_ids, text, prefill_ms, decode_ms_per_token." };
var benchOption = new Option<bool>("--bench")
{
    Description = "Measure speed: one warm-up run, then a greedy run of exactly --max-tokens tokens; prints prefill speed (prompt tokens/s) and decode speed (tokens/s); --prompt is optional here.",
};
var root = new RootCommand(
    "LocalChat: run a local ONNX model folder from the command line, on the Agents.LocalEngine (ONNX Runtime, CPU).\n"
    + "Exit codes: 0 done, 1 the model could not be loaded or generation failed, 2 bad arguments, 130 Ctrl+C.")
{
    modelOption, promptOption, rawOption, maxTokensOption, minTokensOption, greedyOption, jsonOption, benchOption,
};

var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (root.Options.OfType<HelpOption>().Any(h => parsed.GetResult(h) is not null))
{
    return parsed.Invoke();
}

if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"LocalChat: {string.Join(" ", parsed.Errors.Select(e => e.Message))}");
    Console.Error.WriteLine(Usage);
    return 2;
}

string? model = parsed.GetValue(modelOption), prompt = parsed.GetValue(promptOption);
bool raw = parsed.GetValue(rawOption), greedy = parsed.GetValue(greedyOption), json = parsed.GetValue(jsonOption), bench = parsed.GetValue(benchOption);
int maxTokens = parsed.GetValue(maxTokensOption), minTokens = parsed.GetValue(minTokensOption);
try
{
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
