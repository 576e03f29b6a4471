using Microsoft.Extensions.Logging;

namespace Agents.Budget.Tests.Fakes;

/// <summary>A logger factory that keeps every entry (category, level and formatted message) in memory; the one copy the
/// budget, planner and plugin tests share (linked into each test project that needs it).</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    private readonly List<(string Category, LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(string Category, LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>The entries logged under the category of <typeparamref name="T"/>, as <c>CreateLogger&lt;T&gt;</c> names it.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> For<T>() =>
        Entries.Where(e => e.Category == typeof(T).FullName).Select(e => (e.Level, e.Message)).ToList();

    private sealed class ListLogger(ListLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries)
            {
                owner._entries.Add((category, logLevel, formatter(state, exception)));
            }
        }
    }
}
