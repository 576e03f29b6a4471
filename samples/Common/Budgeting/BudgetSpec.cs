namespace Agents.Samples.Common.Budgeting;

/// <summary>
/// A budget as typed on the command line: <c>search=20,browse=20,usd=0.50</c>. Keys: <c>search</c> and
/// <c>browse</c> (tool units), <c>usd</c> (unified cost), <c>input_tokens</c>, <c>output_tokens</c>, and
/// <c>time</c> (wall clock: <c>90s</c>, <c>5m</c>, <c>1h</c>, or seconds).
/// </summary>
public sealed record BudgetSpec
{
    /// <summary>The keys a budget string may use.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["search", "browse", "usd", "input_tokens", "output_tokens", "time"];

    /// <summary>Search units (one per query).</summary>
    public long? Search { get; init; }

    /// <summary>Browse units (one per URL).</summary>
    public long? Browse { get; init; }

    /// <summary>Most unified cost in USD.</summary>
    public decimal? Usd { get; init; }

    /// <summary>Most input tokens.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Most output tokens.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Most wall-clock time.</summary>
    public TimeSpan? Time { get; init; }

    /// <summary>Parses a budget string.</summary>
    /// <exception cref="CommandLineException">The string has an unknown key (with a suggestion), a bad number, a duplicate key or a missing '='.</exception>
    public static BudgetSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CommandLineException($"--budget is empty. Example: --budget search=20,browse=20,usd=0.50 (keys: {string.Join(", ", Keys)}).");
        }

        var spec = new BudgetSpec();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == raw.Length - 1)
            {
                throw new CommandLineException($"--budget: '{raw}' is not key=value (entries are separated by commas; amounts use a dot). Example: --budget search=20,browse=20,usd=0.50 (keys: {string.Join(", ", Keys)}).");
            }

            string key = raw[..eq].Trim().ToLowerInvariant();
            string value = raw[(eq + 1)..].Trim();
            if (!Keys.Contains(key))
            {
                throw new CommandLineException($"--budget: unknown key '{raw[..eq].Trim()}'.{Suggestions.DidYouMean(key, Keys)} Known keys: {string.Join(", ", Keys)}.");
            }

            if (!seen.Add(key))
            {
                throw new CommandLineException($"--budget: the key '{key}' is given more than once.");
            }

            spec = key switch
            {
                "search" => spec with { Search = Units(key, value) },
                "browse" => spec with { Browse = Units(key, value) },
                "input_tokens" => spec with { InputTokens = Units(key, value) },
                "output_tokens" => spec with { OutputTokens = Units(key, value) },
                "usd" => spec with { Usd = Money(value) },
                _ => spec with { Time = Duration(value) },
            };
        }

        return spec;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = new List<string>();
        var inv = CultureInfo.InvariantCulture;
        if (Search is { } s)
        {
            parts.Add("search=" + s.ToString(inv));
        }

        if (Browse is { } b)
        {
            parts.Add("browse=" + b.ToString(inv));
        }

        if (Usd is { } u)
        {
            parts.Add("usd=" + u.ToString(inv));
        }

        if (InputTokens is { } i)
        {
            parts.Add("input_tokens=" + i.ToString(inv));
        }

        if (OutputTokens is { } o)
        {
            parts.Add("output_tokens=" + o.ToString(inv));
        }

        if (Time is { } t)
        {
            parts.Add("time=" + ((long)t.TotalSeconds).ToString(inv) + "s");
        }

        return string.Join(",", parts);
    }

    private static long Units(string key, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0
            ? n
            : throw new CommandLineException($"--budget: {key} must be a positive whole number, not '{value}'.");

    private static decimal Money(string value)
    {
        string v = value.TrimStart('$');
        return decimal.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal d) && d > 0
            ? d
            : throw new CommandLineException($"--budget: usd must be a positive amount such as 0.50, not '{value}'.");
    }

    private static TimeSpan Duration(string value)
    {
        string number = value;
        double scale = 1;
        if (value.Length > 1 && char.IsAsciiLetter(value[^1]))
        {
            scale = char.ToLowerInvariant(value[^1]) switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                _ => double.NaN,
            };
            number = value[..^1];
        }

        return !double.IsNaN(scale) && double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount) && amount > 0
            ? TimeSpan.FromSeconds(amount * scale)
            : throw new CommandLineException($"--budget: time must be a positive duration such as 90s, 5m or 1h, not '{value}'.");
    }
}
