using System.Collections.Concurrent;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Which keys <see cref="HopGrain"/> ran requests on, and where (a singleton of each silo).</summary>
public sealed class HopLog
{
    public ConcurrentQueue<string> Visits { get; } = new();
}
