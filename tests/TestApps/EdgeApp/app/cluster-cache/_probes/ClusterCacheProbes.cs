using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EdgeApp;

/// <summary>
/// The test cluster's side door into the cluster-cache routes. Every silo of an in-process test cluster runs in the
/// test's process, so these statics see every render in the cluster, whichever silo owns the route: how many times a
/// key was rendered, a gate that holds its renders, and a switch that makes them throw. Keys are
/// <c>route/param</c>; a test uses a param of its own, so clusters of tests running in parallel never share a count.
/// </summary>
public static class ClusterCacheProbes
{
    // A held render gives up after this, so a test that fails before opening its gate does not leave a grain turn hanging.
    private static readonly TimeSpan s_gateLimit = TimeSpan.FromSeconds(90);

    private static readonly ConcurrentDictionary<string, StrongBox<int>> s_renders = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> s_gates = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> s_failing = new(StringComparer.Ordinal);

    /// <summary>How many renders of <paramref name="key"/> have started (failed and held ones included).</summary>
    public static int Renders(string key) => s_renders.TryGetValue(key, out var count) ? Volatile.Read(ref count.Value) : 0;

    /// <summary>Holds every render of <paramref name="key"/> that starts from now until <see cref="Open"/>.</summary>
    public static void Close(string key) =>
        s_gates[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held renders of <paramref name="key"/> finish, and later ones run straight through.</summary>
    public static void Open(string key)
    {
        if (s_gates.TryRemove(key, out var gate))
        {
            gate.TrySetResult();
        }
    }

    /// <summary>Makes renders of <paramref name="key"/> that start from now throw (or stops that).</summary>
    public static void Fail(string key, bool fail)
    {
        if (fail)
        {
            s_failing[key] = true;
        }
        else
        {
            s_failing.TryRemove(key, out _);
        }
    }

    /// <summary>One render of <paramref name="key"/>: counts it, waits at its gate, throws when failing; its number.</summary>
    public static async Task<int> RenderAsync(string key)
    {
        var render = Interlocked.Increment(ref s_renders.GetOrAdd(key, static _ => new StrongBox<int>()).Value);
        if (s_gates.TryGetValue(key, out var gate))
        {
            await gate.Task.WaitAsync(s_gateLimit);
        }

        if (s_failing.ContainsKey(key))
        {
            throw new InvalidOperationException($"Render {render} of {key} fails on purpose (cluster-cache test).");
        }

        return render;
    }
}
