using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.Identity;

public sealed class GrainIdTests
{
    private static readonly GrainType s_route = new("route");

    [Fact]
    public void Equals_SameTypeAndKey_True()
    {
        Assert.Equal(new GrainId(s_route, "/a"), new GrainId(s_route, "/a"));
        Assert.True(new GrainId(s_route, "/a") == new GrainId(s_route, "/a"));
    }

    [Fact]
    public void Equals_KeyDiffersOnlyInCase_False()
    {
        Assert.NotEqual(new GrainId(s_route, "/a"), new GrainId(s_route, "/A"));
    }

    [Fact]
    public void GetUniformHashCode_IsTypeHashTimes31PlusKeyHash()
    {
        var id = new GrainId(s_route, "/blog/[slug]");

        var expected = unchecked((StableHash.Compute("route") * 31) + StableHash.Compute("/blog/[slug]"));

        Assert.Equal(expected, id.GetUniformHashCode());
    }

    [Fact]
    public void Constructor_DefaultType_Throws()
    {
        Assert.Throws<ArgumentException>(() => new GrainId(default, "k"));
    }

    [Fact]
    public void ToString_IsTypeSlashKey()
    {
        Assert.Equal("route//a", new GrainId(s_route, "/a").ToString());
    }
}
