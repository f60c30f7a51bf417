using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EdgeApp;

/// <summary>
/// Render counters of the gateway cache routes (app/cache), keyed <c>route/param</c>. Static, so every host in the test
/// process shares them: a test reads a key of its own (a param no other test uses), and compares counts before and after.
/// </summary>
public static class CacheProbes
{
    private static readonly ConcurrentDictionary<string, StrongBox<int>> s_renders = new(StringComparer.Ordinal);

    /// <summary>How many times <paramref name="key"/> was rendered.</summary>
    public static int Renders(string key) => s_renders.TryGetValue(key, out var count) ? Volatile.Read(ref count.Value) : 0;

    /// <summary>Counts one render of <paramref name="key"/>; its number.</summary>
    public static int Render(string key) => Interlocked.Increment(ref s_renders.GetOrAdd(key, static _ => new StrongBox<int>()).Value);
}
