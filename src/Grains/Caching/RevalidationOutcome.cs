namespace Cluster.Grains.Caching;

/// <summary>What a confirmed revalidation did: how many route owners confirmed it, and how many entries they dropped.</summary>
/// <param name="Routes">The routes whose owners confirmed (0 when the path or tag reaches no cached route).</param>
/// <param name="Dropped">The cached entries those owners dropped (0 when none held one).</param>
internal readonly record struct RevalidationOutcome(int Routes, int Dropped)
{
    /// <summary>A revalidation that reached no cached route, so nothing had to confirm.</summary>
    public static RevalidationOutcome None => default;
}
