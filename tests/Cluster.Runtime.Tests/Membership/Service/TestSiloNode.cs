using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>One silo of a <see cref="MembershipTestCluster"/>: its agent, fake transport and terminator.</summary>
internal sealed class TestSiloNode
{
    public TestSiloNode(MembershipAgent agent, FakeClusterTransport transport, RecordingTerminator terminator)
    {
        Agent = agent;
        Transport = transport;
        Terminator = terminator;
    }

    public MembershipAgent Agent { get; }

    public FakeClusterTransport Transport { get; }

    public RecordingTerminator Terminator { get; }

    public SiloAddress Address => Agent.LocalSilo;

    public override string ToString() => Address.ToString();
}
