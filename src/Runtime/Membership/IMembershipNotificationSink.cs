namespace Cluster.Runtime.Membership;

/// <summary>Takes a peer's notice that the membership table reached a version, so this process refreshes soon.</summary>
public interface IMembershipNotificationSink
{
    /// <summary>A peer says the table reached <paramref name="version"/>; refresh unless already there (coalesced).</summary>
    void OnPeerNotified(int version);
}
