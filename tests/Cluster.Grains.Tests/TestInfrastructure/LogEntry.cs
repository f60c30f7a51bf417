using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Tests.TestInfrastructure;

/// <summary>One captured log record.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
