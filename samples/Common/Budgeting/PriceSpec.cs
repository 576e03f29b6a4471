namespace Agents.Samples.Common.Budgeting;

/// <summary>
/// Model token prices as typed on the command line, in USD per million tokens: <c>--price input=0.15,output=0.60,cached=0.075</c>.
/// Used for the unified cost; without it token cost is 0 and only tool units are priced ($0.001 each).
/// </summary>
public sealed record PriceSpec(decimal Input, decimal Output, decimal? Cached)
{
    private static readonly string[] Keys = ["input", "output", "cached"];

    /// <summary>Parses a price string.</summary>
    /// <exception cref="CommandLineException">Unknown key, bad amount, or input/output missing.</exception>
    public static PriceSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = raw.IndexOf('=', StringComparison.Ordinal);
            string key = eq > 0 ? raw[..eq].Trim().ToLowerInvariant() : raw;
            if (eq <= 0 || !Keys.Contains(key))
            {
                throw new CommandLineException($"--price: '{raw}' is not one of input=, output=, cached= (USD per million tokens).{Suggestions.DidYouMean(key, Keys)} Example: --price input=0.15,output=0.60");
            }

            if (!decimal.TryParse(raw[(eq + 1)..].Trim().TrimStart('$'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
            {
                throw new CommandLineException($"--price: {key} must be an amount in USD per million tokens such as 0.60, not '{raw[(eq + 1)..]}'.");
            }

            if (!values.TryAdd(key, amount))
            {
                throw new CommandLineException($"--price: the key '{key}' is given more than once.");
            }
        }

        if (!values.TryGetValue("input", out decimal input) || !values.TryGetValue("output", out decimal output))
        {
            throw new CommandLineException("--price needs both input= and output= (USD per million tokens). Example: --price input=0.15,output=0.60");
        }

        return new PriceSpec(input, output, values.TryGetValue("cached", out decimal cached) ? cached : null);
    }
}
