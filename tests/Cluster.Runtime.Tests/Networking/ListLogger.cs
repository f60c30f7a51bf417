using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>Captures log entries of every category, so tests can check that refusals are logged (and what).</summary>
internal sealed class ListLogger : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(LogLevel Level, int EventId, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Entries.Enqueue((logLevel, eventId.Id, formatter(state, exception) + (exception is null ? string.Empty : " | " + exception.Message)));

    public bool Has(LogLevel level, int eventId) => Entries.Any(e => e.Level == level && e.EventId == eventId);

    public void Dispose()
    {
    }
}
