namespace Agents.Samples.Common.CommandLine;

/// <summary>
/// A small GNU-style parser: <c>--name value</c>, <c>--name=value</c>, flags without values, <c>--</c> ends options.
/// Unknown options fail with a suggestion.
/// </summary>
public sealed class ArgumentParser
{
    private readonly Dictionary<string, bool> _options = new(StringComparer.Ordinal);

    /// <summary>Declares an option that takes a value (e.g. <c>--model</c>).</summary>
    public ArgumentParser WithValue(string name)
    {
        _options[Check(name)] = true;
        return this;
    }

    /// <summary>Declares a flag (e.g. <c>--help</c>).</summary>
    public ArgumentParser WithFlag(string name)
    {
        _options[Check(name)] = false;
        return this;
    }

    /// <summary>
    /// Declares the model and search options every console sample shares (read by <c>ModelSettings.From</c> and
    /// <c>SearchSettings.From</c>).
    /// </summary>
    public ArgumentParser WithModelAndSearchOptions() => this
        .WithValue("--model").WithValue("--endpoint").WithValue("--model-id").WithValue("--api-key-env")
        .WithValue("--search").WithValue("--index").WithValue("--index-cache").WithValue("--searxng-url").WithValue("--browser")
        .WithFlag("--allow-loopback").WithFlag("--allow-private");

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="CommandLineException">An unknown option, a missing value, or an option given twice.</exception>
    public ParsedArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var positionals = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positionals.Add(arg);
                continue;
            }

            string name = arg;
            string? inline = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                inline = arg[(eq + 1)..];
            }

            if (!_options.TryGetValue(name, out bool takesValue))
            {
                throw new CommandLineException($"Unknown option '{name}'.{Suggestions.DidYouMean(name, _options.Keys)} Run with --help to see the options.");
            }

            if (values.ContainsKey(name))
            {
                throw new CommandLineException($"The option '{name}' is given more than once.");
            }

            if (!takesValue)
            {
                if (inline is not null)
                {
                    throw new CommandLineException($"The option '{name}' takes no value.");
                }

                values[name] = null;
                continue;
            }

            if (inline is null)
            {
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                {
                    throw new CommandLineException($"The option '{name}' needs a value.");
                }

                inline = args[++i];
            }

            values[name] = inline;
        }

        return new ParsedArguments(values, positionals);
    }

    private static string Check(string name)
    {
        if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3)
        {
            throw new ArgumentException("Option names start with '--'.", nameof(name));
        }

        return name;
    }
}
