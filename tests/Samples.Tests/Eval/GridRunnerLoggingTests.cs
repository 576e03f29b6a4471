using Microsoft.Extensions.Logging;

namespace Agents.Samples.Tests.Eval;

public sealed class GridRunnerLoggingTests() : TempFolderTests("grid-log-")
{
    [Fact]
    public async Task Logs_through_the_given_logger_factory_under_the_runner_s_category()
    {
        var logged = new List<(string Category, string Message)>();
        using var factory = new CallbackLoggerFactory((category, message) => { lock (logged) { logged.Add((category, message)); } });
        await using var journal = await ResultsJournal.OpenAsync(Path.Combine(Dir, "results.jsonl"));
        EvalItem[] items = [new("q1", "Question 1?", "Answer 1")];

        await new GridRunner(new GridRunnerOptions { MaxParallelism = 1 }, loggerFactory: factory)
            .RunAsync(items, [ScriptedStrategy.Threshold("s", needs: 1)], [5], journal);

        Assert.Contains(logged, l => l.Category == typeof(GridRunner).FullName && l.Message.Contains("1 cells, 0 already done, 1 to run", StringComparison.Ordinal));
    }

    /// <summary>A logger factory whose loggers hand every message to a callback.</summary>
    private sealed class CallbackLoggerFactory(Action<string, string> onLog) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new CallbackLogger(categoryName, onLog);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class CallbackLogger(string category, Action<string, string> onLog) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => onLog(category, formatter(state, exception));
        }
    }
}
