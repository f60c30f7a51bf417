namespace Cluster.PingBench;

/// <summary>
/// Counts grain activations in this process, so a run shows that its calls really reached grains (one activation for
/// a shared grain, one per caller otherwise) and were not answered by anything short of the catalog.
/// </summary>
internal static class ActivationCounter
{
    private static int s_count;

    public static int Count => Volatile.Read(ref s_count);

    public static void Increment() => Interlocked.Increment(ref s_count);
}
