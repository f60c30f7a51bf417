using Cluster.Runtime.Identity;
using Cluster.Runtime.Tests.TestInfrastructure;

namespace Cluster.Runtime.Tests.Identity;

public sealed class SiloAddressTests
{
    [Fact]
    public void ToString_IsHostPortAtGeneration()
    {
        var sut = new SiloAddress("10.0.0.7", 11111, 123456);

        Assert.Equal("10.0.0.7:11111@123456", sut.ToString());
    }

    [Fact]
    public void NextGeneration_IsSecondsSince2022_AndStrictlyIncreasing()
    {
        // Far enough in the future that no other test in this process has handed out a larger generation.
        var start = new DateTimeOffset(2080, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        var expected = (int)(start - new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds;

        var first = SiloAddress.NextGeneration(time);
        var sameSecond = SiloAddress.NextGeneration(time);
        time.Advance(TimeSpan.FromSeconds(10));
        var later = SiloAddress.NextGeneration(time);

        Assert.Equal(expected, first);
        Assert.Equal(first + 1, sameSecond);
        Assert.Equal(expected + 10, later);
    }

    [Fact]
    public void CreateLocal_SameEndpointTwice_SecondHasGreaterGeneration()
    {
        var first = SiloAddress.CreateLocal("localhost", 11111, TimeProvider.System);
        var restarted = SiloAddress.CreateLocal("localhost", 11111, TimeProvider.System);

        Assert.True(restarted.Generation > first.Generation);
        Assert.NotEqual(first, restarted);
    }

    [Theory]
    [InlineData("10.0.0.7:11111@123456", "10.0.0.7", 11111, 123456)]
    [InlineData("[::1]:30000@5", "[::1]", 30000, 5)]
    public void TryParse_FormattedAddress_RoundTrips(string text, string host, int port, int generation)
    {
        Assert.True(SiloAddress.TryParse(text, out var address));

        Assert.Equal(new SiloAddress(host, port, generation), address);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("host:1")]
    [InlineData("host@1")]
    [InlineData("host:70000@1")]
    [InlineData("host:x@1")]
    public void TryParse_Malformed_False(string text)
    {
        Assert.False(SiloAddress.TryParse(text, out _));
    }
}
