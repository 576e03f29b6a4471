using System.Globalization;
using System.Text.Json;
using Agents.LocalEngine;
using Agents.LocalEngine.Generation;
using Microsoft.Extensions.AI;

// LocalChat: run a local ONNX model from the command line.
//   --model DIR  --prompt TEXT  [--raw] [--max-tokens N] [--greedy] [--min-tokens N] [--json]
const string Usage = "usage: LocalChat --model DIR --prompt TEXT [--raw] [--max-tokens N] [--greedy] [--min-tokens N] [--json]";

string? model = null, prompt = null;
bool raw = false, greedy = false, json = false;
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
            case "--max-tokens": maxTokens = Number(); break;
            case "--min-tokens": minTokens = Number(); break;
            default: throw new ArgumentException($"unknown argument '{args[i]}'.");
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
