namespace Agents.Samples.Common.Cli;

/// <summary>A command line the user must fix; the message says what is wrong and how to fix it.</summary>
public sealed class CommandLineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CommandLineException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public CommandLineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the cause.</summary>
    public CommandLineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
