namespace Cluster.Runtime.Hosting;

/// <summary>A silo status kept in an <see cref="int"/> field, read with <see cref="Volatile"/> and moved forward lock-free.</summary>
internal static class SiloStatusTransitions
{
    /// <summary>Moves <paramref name="status"/> to <paramref name="next"/> if that is forward; returns whether it moved.</summary>
    public static bool TryAdvance(ref int status, SiloStatus next)
    {
        while (true)
        {
            var current = Volatile.Read(ref status);
            if ((int)next <= current)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref status, (int)next, current) == current)
            {
                return true;
            }
        }
    }
}
