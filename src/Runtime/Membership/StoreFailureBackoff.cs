using System.Numerics;

namespace Cluster.Runtime.Membership;

/// <summary>
/// Counts consecutive failures of the membership store and spaces out both retries and warnings: while the store is
/// down, silos keep serving on their last view (orleans-runtime.md §1.2), so a failing store must not flood the log.
/// </summary>
internal sealed class StoreFailureBackoff
{
    private static readonly TimeSpan s_initialDelay = TimeSpan.FromSeconds(1);
    private int _failures;

    /// <summary>Records a failure; returns how many in a row (1 for the first).</summary>
    public int RecordFailure() => Interlocked.Increment(ref _failures);

    /// <summary>Records a success; returns how many failures it ended (0 if none).</summary>
    public int RecordSuccess() => Volatile.Read(ref _failures) == 0 ? 0 : Interlocked.Exchange(ref _failures, 0);

    /// <summary>Whether the <paramref name="failures"/>th failure in a row is logged as a warning (1st, 2nd, 4th, 8th, …).</summary>
    public static bool ShouldWarn(int failures) => BitOperations.IsPow2(failures);

    /// <summary>The wait before the next attempt: 1 s doubling per failure, never above <paramref name="max"/>.</summary>
    public static TimeSpan GetRetryDelay(int failures, TimeSpan max)
    {
        var delay = s_initialDelay * Math.Pow(2, Math.Clamp(failures - 1, 0, 16));
        return delay < max ? delay : max;
    }
}
