namespace Agents.Samples.ResearchAgent.Framework;

/// <summary>Asks a yes/no question on the console; only <c>y</c> or <c>yes</c> is yes, and end of input or a blank line is no.</summary>
internal static class ConsoleQuestion
{
    /// <summary>Writes "<paramref name="question"/> [y/N] " and reads one line.</summary>
    /// <param name="question">The question.</param>
    /// <param name="input">Where the answer is read (stdin; a pipe works).</param>
    /// <param name="output">Where the question goes.</param>
    /// <param name="echo">Whether to write the answer after the question (when the input is not a terminal, which does not echo it).</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    /// <returns>Whether the answer is yes.</returns>
    public static async Task<bool> AskAsync(string question, TextReader input, TextWriter output, bool echo, CancellationToken cancellationToken)
    {
        await output.WriteAsync(question + " [y/N] ").ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Console reads block and ignore tokens: read on the pool, so Ctrl+C still ends the wait.
        string? line = await Task.Run(input.ReadLine, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (echo)
        {
            await output.WriteLineAsync(line ?? string.Empty).ConfigureAwait(false);
        }

        return line?.Trim().ToUpperInvariant() is "Y" or "YES";
    }
}
