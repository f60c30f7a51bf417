using System.Collections.Concurrent;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>How many times <see cref="SleepGrain"/> ran each tag (a singleton of each silo).</summary>
public sealed class SleepLog
{
    private readonly ConcurrentDictionary<string, int> _runs = new(StringComparer.Ordinal);

    public int Runs(string tag) => _runs.TryGetValue(tag, out var runs) ? runs : 0;

    public void Record(string tag) => _runs.AddOrUpdate(tag, 1, static (_, runs) => runs + 1);
}
