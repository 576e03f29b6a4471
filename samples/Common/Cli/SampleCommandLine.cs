using System.CommandLine.Help;

namespace Agents.Samples.Common.Cli;

/// <summary>
/// The console samples' command lines on System.CommandLine: the model, search and telemetry options they share,
/// parsing without response files, <c>--help</c>, and one <c>error: ...</c> line per mistake, naming the option.
/// </summary>
public static class SampleCommandLine
{
    /// <summary>The exit code of a command line the user must fix.</summary>
    public const int ExitUsage = 2;

    /// <summary>A string option with a value.</summary>
    public static Option<string> Value(string name, string description, string? valueName = null) =>
        new(name) { Description = description, HelpName = valueName };

    /// <summary>A flag (no value).</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>Adds the model, search, browser and telemetry options every agent sample shares (read by <c>ModelSettings.From</c> and <c>SearchSettings.From</c>).</summary>
    /// <param name="command">The command.</param>
    /// <returns>The same command.</returns>
    public static Command AddModelAndSearchOptions(this Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Option[] options =
        [
            Value("--model", "A local ONNX model folder (Optimum/transformers.js or onnxruntime-genai export); or AGENTS_MODEL_DIR.", "DIR"),
            Value("--endpoint", "An OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, vLLM), for example http://localhost:11434/v1; or AGENTS_ENDPOINT.", "URL"),
            Value("--model-id", "The model name at the endpoint; or AGENTS_MODEL_ID.", "NAME"),
            Value("--api-key-env", "The environment variable that holds the endpoint's API key (default OPENAI_API_KEY).", "NAME"),
            Value("--search", "The search provider: local (default; a Lucene index over --index), searxng, brave or tavily; or AGENTS_SEARCH.", "local|searxng|brave|tavily"),
            Value("--index", "The documents folder of the local index (default ./documents); or AGENTS_INDEX_DIR.", "DIR"),
            Value("--index-cache", "Where the local index is kept between runs.", "DIR"),
            Value("--searxng-url", "The SearXNG instance (--search searxng); or SEARXNG_URL. Brave and Tavily read BRAVE_API_KEY / TAVILY_API_KEY.", "URL"),
            Value("--browser", "How pages are read: auto (Chromium when installed, the default), chromium or http.", "auto|chromium|http"),
            Flag("--allow-loopback", "Let the browser reach loopback addresses (local servers)."),
            Flag("--allow-private", "Let the browser reach private network addresses."),
            Otel(),
        ];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        return command;
    }

    private static Option<string> Otel()
    {
        var otel = Value("--otel", "Export traces and metrics (Agents.*, Microsoft.Extensions.AI) to the console or an OTLP collector (OTEL_EXPORTER_OTLP_ENDPOINT).", "console|otlp");
        otel.AcceptOnlyFromAmong("console", "otlp");
        return otel;
    }

    /// <summary>Parses <paramref name="args"/> (an <c>@file</c> is a plain argument, not a response file).</summary>
    /// <param name="command">The command.</param>
    /// <param name="args">The arguments.</param>
    /// <returns>The result.</returns>
    public static ParseResult Parse(Command command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
    }

    /// <summary>
    /// Handles <c>--help</c> (prints the help, exit 0) and parse errors (one <c>error:</c> line each on <paramref name="error"/>,
    /// exit <see cref="ExitUsage"/>); returns <see langword="null"/> when the command line is good.
    /// </summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="args">The raw arguments (to name an unknown option as typed).</param>
    /// <param name="output">Where the help goes.</param>
    /// <param name="error">Where errors go.</param>
    /// <returns>The exit code, or null to go on.</returns>
    public static int? HelpOrErrors(ParseResult parsed, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var command = parsed.RootCommandResult.Command;
        if (command.Options.OfType<HelpOption>().Any(h => parsed.GetResult(h) is not null))
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        }

        // An unknown --option would otherwise be taken as a word of a free-text argument.
        var known = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToList();
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var name = arg.Split('=', ':')[0];
                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    error.WriteLine($"error: Unknown option '{name}'.{Suggestions.DidYouMean(name, known.Where(k => k.StartsWith("--", StringComparison.Ordinal)))} Run with --help to see the options.");
                    return ExitUsage;
                }
            }
        }

        if (parsed.Errors.Count == 0)
        {
            return null;
        }

        foreach (var problem in parsed.Errors)
        {
            error.WriteLine("error: " + problem.Message + " Run with --help to see the options.");
        }

        return ExitUsage;
    }

    /// <summary>The option's value, or null when it was not given.</summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="name">The option, for example <c>--model</c>.</param>
    /// <returns>The value.</returns>
    public static string? Get(this ParseResult parsed, string name)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.GetValue<string>(name);
    }

    /// <summary>Whether the flag was given.</summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="name">The flag, for example <c>--plain</c>.</param>
    /// <returns>Whether it is set.</returns>
    public static bool Has(this ParseResult parsed, string name)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.GetValue<bool>(name);
    }

    /// <summary>The option's value as a positive whole number, or <paramref name="fallback"/> when not given.</summary>
    /// <param name="parsed">The parse result.</param>
    /// <param name="name">The option.</param>
    /// <param name="fallback">The default.</param>
    /// <returns>The number.</returns>
    /// <exception cref="CommandLineException">The value is not a positive whole number.</exception>
    public static int GetPositiveInt(this ParseResult parsed, string name, int fallback)
    {
        string? value = parsed.Get(name);
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new CommandLineException($"{name} expects a positive whole number, not '{value}'.");
    }
}
