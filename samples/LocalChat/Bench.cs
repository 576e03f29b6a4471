using System.Globalization;
using System.Text.Json;
using Agents.LocalEngine;
using Agents.LocalEngine.Generation;

/// <summary>LocalChat's <c>--bench</c>: prefill and decode speed of one greedy run after a warm-up run.</summary>
internal static class Bench
{
    /// <summary>Runs the benchmark and prints the speeds; returns the exit code.</summary>
    /// <param name="engine">The loaded engine.</param>
    /// <param name="promptIds">The prompt's tokens.</param>
    /// <param name="tokens">How many tokens to decode (the end-of-sequence token does not stop it earlier).</param>
    /// <param name="json">Print one JSON object instead of text.</param>
    /// <param name="cancellationToken">Stops the runs.</param>
    public static async Task<int> RunAsync(LocalOnnxEngine engine, IReadOnlyList<int> promptIds, int tokens, bool json, CancellationToken cancellationToken)
    {
        var settings = new LocalGenerationSettings { MaxTokens = tokens, MinTokens = tokens, DoSample = false };

        // Warm-up on a different prompt: loads the sessions and JIT-compiles, without caching this prompt's prefix.
        var warmUp = engine.Tokenize("Warm-up.", addBos: true);
        await engine.GenerateAsync(warmUp, new LocalGenerationSettings { MaxTokens = Math.Min(tokens, 4), DoSample = false }, cancellationToken).ConfigureAwait(false);

        var result = await engine.GenerateAsync(promptIds, settings, cancellationToken).ConfigureAwait(false);
        int prefilled = result.PromptTokens - result.CachedPromptTokens;
        double prefillSeconds = result.PrefillTime.TotalSeconds;
        double decodeSeconds = result.DecodeTime.TotalSeconds;
        double prefillSpeed = prefillSeconds > 0 ? prefilled / prefillSeconds : 0;
        double decodeSpeed = decodeSeconds > 0 ? result.DecodeSteps / decodeSeconds : 0;
        if (json)
        {
            using var stdout = Console.OpenStandardOutput();
            using (var writer = new Utf8JsonWriter(stdout))
            {
                writer.WriteStartObject();
                writer.WriteNumber("prompt_tokens", result.PromptTokens);
                writer.WriteNumber("cached_prompt_tokens", result.CachedPromptTokens);
                writer.WriteNumber("prefill_ms", Math.Round(result.PrefillTime.TotalMilliseconds, 3));
                writer.WriteNumber("prefill_tokens_per_s", Math.Round(prefillSpeed, 2));
                writer.WriteNumber("generated_tokens", result.TokenIds.Count);
                writer.WriteNumber("decode_tokens", result.DecodeSteps);
                writer.WriteNumber("decode_ms", Math.Round(result.DecodeTime.TotalMilliseconds, 3));
                writer.WriteNumber("decode_tokens_per_s", Math.Round(decodeSpeed, 2));
                writer.WriteEndObject();
            }

            stdout.WriteByte((byte)'\n');
            return 0;
        }

        var inv = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Create(inv, $"prefill: {prefilled} prompt tokens in {result.PrefillTime.TotalMilliseconds:0.0} ms = {prefillSpeed:0.0} tokens/s"));
        // The prefill yields the first token; the decode steps yield the rest.
        Console.Out.WriteLine(string.Create(inv, $"decode:  {result.DecodeSteps} tokens in {result.DecodeTime.TotalMilliseconds:0.0} ms = {decodeSpeed:0.0} tokens/s ({(result.DecodeSteps == 0 ? 0 : result.DecodeTime.TotalMilliseconds / result.DecodeSteps):0.00} ms/token)"));
        return 0;
    }
}
