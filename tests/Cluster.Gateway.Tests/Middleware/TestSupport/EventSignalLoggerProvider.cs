namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>A logger provider that completes <see cref="Logged"/> when an entry with one event id is written: a barrier on a log.</summary>
public sealed class EventSignalLoggerProvider(int eventId) : ILoggerProvider
{
    private readonly int _eventId = eventId;
    private readonly TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Logged => _logged.Task;

    public ILogger CreateLogger(string categoryName) => new SignalLogger(this);

    public void Dispose()
    {
    }

    private sealed class SignalLogger(EventSignalLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == provider._eventId)
            {
                provider._logged.TrySetResult();
            }
        }
    }
}
