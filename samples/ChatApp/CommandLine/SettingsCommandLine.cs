using System.CommandLine;

namespace Agents.Samples.CommandLine;

/// <summary>
/// The command line of a sample server, parsed by System.CommandLine in front of the host builder: <c>--help</c> lists
/// the main settings, each friendly option becomes its configuration key (<c>--listen x</c> → <c>--Section:Urls=x</c>),
/// and every other argument (<c>--Section:Key=value</c>, <c>--urls</c>, ...) goes to configuration unchanged.
/// </summary>
internal static class SettingsCommandLine
{
    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="description">What the program does; the first line of the help.</param>
    /// <param name="settings">The main settings: option name, configuration key, what it sets.</param>
    /// <param name="args">The program's arguments.</param>
    /// <param name="output">Where help and errors go; the console when <see langword="null"/>.</param>
    /// <returns>
    /// The exit code when the program should stop here (0 after <c>--help</c>, non-zero for a malformed option), else
    /// <see langword="null"/> and the arguments for the configuration.
    /// </returns>
    public static (int? ExitCode, string[] Arguments) Parse(
        string description, IReadOnlyList<(string Name, string Key, string Help)> settings, string[] args, TextWriter? output = null)
    {
        var root = new RootCommand(description + Environment.NewLine + Environment.NewLine
            + "Any configuration key can also be set as --Section:Key=value (or in appsettings.json, or the environment as Section__Key).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var options = new List<(Option<string> Option, string Key)>();
        foreach (var (name, key, help) in settings)
        {
            var option = new Option<string>(name) { Description = $"{help} [{key}]", HelpName = "value" };
            root.Add(option);
            options.Add((option, key));
        }

        root.SetAction(_ => 0);

        // No response files: an argument starting with '@' is a configuration value like any other.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (!ReferenceEquals(result.Action, root.Action))
        {
            // --help, or an option without its value: System.CommandLine prints the help or the error.
            var invocation = new InvocationConfiguration();
            if (output is not null)
            {
                invocation.Output = output;
                invocation.Error = output;
            }

            return (result.Invoke(invocation), []);
        }

        List<string> configuration = [.. result.UnmatchedTokens];
        foreach (var (option, key) in options)
        {
            if (result.GetValue(option) is { } value)
            {
                configuration.Add($"--{key}={value}");
            }
        }

        return (null, [.. configuration]);
    }
}
