using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>Where a process without an inbound handler (a gateway) receives membership notices.</summary>
internal sealed class TestNotificationSink : IMembershipNotificationSink
{
    public TaskCompletionSource<int> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OnPeerNotified(int version) => Received.TrySetResult(version);
}
