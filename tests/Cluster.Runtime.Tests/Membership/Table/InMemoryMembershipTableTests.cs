using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Table;

/// <summary>The contract suite against <see cref="InMemoryMembershipTable"/>: one instance per cluster id.</summary>
public sealed class InMemoryMembershipTableTests : MembershipTableContractTests
{
    protected override IMembershipTable CreateTable(string clusterId) => new InMemoryMembershipTable(isShared: true);

    [Fact]
    public void IsShared_IsWhatTheConstructorWasGiven()
    {
        Assert.False(new InMemoryMembershipTable().IsShared);
        Assert.True(new InMemoryMembershipTable(isShared: true).IsShared);
    }
}
