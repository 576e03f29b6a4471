using Microsoft.Extensions.Logging;

namespace Agents.Samples.ChatApp.Tests.Fakes;

/// <summary>Collects every log entry (message and exception text) so tests can assert what the server logged.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<string> _entries = [];

    /// <summary>Gets the entries so far: level, category, message and the exception's <c>ToString()</c>.</summary>
    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Gets all entries as one text.</summary>
    public string Text => string.Join("\n", Entries);

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string entry)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }

    private sealed class ListLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
