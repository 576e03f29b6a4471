namespace Agents.Packaging.Tests;

/// <summary>The exit code and the interleaved output of one dotnet CLI run.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Output">Standard output and standard error, in the order they came.</param>
internal sealed record CliResult(int ExitCode, string Output);
