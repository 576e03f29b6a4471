namespace Agents.Samples.Common.CommandLine;

/// <summary>The result of <see cref="ArgumentParser.Parse"/>: option values and positional arguments.</summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _values;

    internal ParsedArguments(Dictionary<string, string?> values, IReadOnlyList<string> positionals)
    {
        _values = values;
        Positionals = positionals;
    }

    /// <summary>Arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Whether the option (e.g. <c>--help</c>) was given.</summary>
    public bool Has(string option) => _values.ContainsKey(option);

    /// <summary>The option's value, or null when it was not given.</summary>
    public string? Get(string option) => _values.TryGetValue(option, out var v) ? v : null;

    /// <summary>The option's value as a positive whole number, or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="CommandLineException">The value is not a positive whole number.</exception>
    public int GetPositiveInt(string option, int fallback)
    {
        string? value = Get(option);
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new CommandLineException($"{option} expects a positive whole number, not '{value}'.");
    }
}
