using System.Text;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.Identity;

public sealed class StableHashTests
{
    // Published xxHash32 vectors (seed 0): the reference implementation's empty-input value, the "a"/"abc" values
    // used by most ports' test suites, and python-xxhash's README example (39 bytes: exercises the 16-byte stripes,
    // the 4-byte lanes and the byte tail).
    [Theory]
    [InlineData("", 0x02CC5D05u)]
    [InlineData("a", 0x550D7456u)]
    [InlineData("abc", 0x32D153FFu)]
    [InlineData("Nobody inspects the spammish repetition", 0xE2293B2Fu)]
    public void XxHash32_PublishedVectors_Match(string input, uint expected)
    {
        var actual = StableHash.XxHash32(Encoding.UTF8.GetBytes(input));

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/api/users/[id]")]
    [InlineData("/blog/ünïcödé/日本")]
    public void Compute_String_EqualsHashOfUtf8Bytes(string input)
    {
        Assert.Equal(StableHash.XxHash32(Encoding.UTF8.GetBytes(input)), StableHash.Compute(input));
    }

    [Fact]
    public void Compute_LongString_UsesPooledBufferAndMatches()
    {
        var input = string.Concat(Enumerable.Repeat("/segment-é", 100));

        Assert.Equal(StableHash.XxHash32(Encoding.UTF8.GetBytes(input)), StableHash.Compute(input));
    }
}
