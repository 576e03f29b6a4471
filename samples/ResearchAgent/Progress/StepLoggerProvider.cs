namespace Agents.Samples.ResearchAgent.Progress;

/// <summary>Shows the library's information messages as the current step (the deep-research workflow reports its rounds this way).</summary>
internal sealed class StepLoggerProvider(ProgressState state) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new StepLogger(state, categoryName);

    public void Dispose()
    {
    }

    private sealed class StepLogger(ProgressState state, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState scopeState)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && category.StartsWith("Agents.Planners", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState logState, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                state.SetStep(formatter(logState, exception));
            }
        }
    }
}
