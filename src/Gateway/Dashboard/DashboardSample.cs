namespace Cluster.Gateway.Dashboard;

/// <summary>A published sample: the snapshot and its JSON, serialised once and written as is to every viewer.</summary>
/// <param name="Snapshot">The sample.</param>
/// <param name="Json">Its UTF-8 JSON (one line).</param>
internal sealed record DashboardSample(DashboardSnapshot Snapshot, byte[] Json)
{
    /// <summary>The sample's sequence number.</summary>
    public long Sequence => Snapshot.Sequence;
}
