namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// The request of the grain message <see cref="SiloStatsGrain.MessageName"/>: "report your statistics". It carries
/// nothing (the answer depends only on the silo that runs it), so one instance serves every call.
/// </summary>
internal sealed class SiloStatsRequest
{
    private SiloStatsRequest()
    {
    }

    /// <summary>The request.</summary>
    public static SiloStatsRequest Instance { get; } = new();
}
