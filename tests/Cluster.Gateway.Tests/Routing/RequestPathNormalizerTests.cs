using Cluster.Grains.Matching;

namespace Cluster.Gateway.Tests.Routing;

public sealed class RequestPathNormalizerTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/a")]
    [InlineData("/a/b/c")]
    [InlineData("/api/users/123")]
    [InlineData("/robots.txt")]
    [InlineData("/.well-known/x")]
    [InlineData("/...")]
    [InlineData("/a..b/.c/d.")]
    [InlineData("/caf%C3%A9")]
    [InlineData("/caf%c3%a9")]
    [InlineData("/a%2Fb")]
    [InlineData("/a%5Cb")]
    [InlineData("/100%25")]
    [InlineData("/%F0%9F%98%80")]
    [InlineData("/%2e%2e%2e")]
    [InlineData("/caf\u00e9")]
    public void Normalize_NormalPath_ReturnsOkWithSameInstance(string raw)
    {
        // Act
        var result = RequestPathNormalizer.Normalize(raw, out var path);

        // Assert
        Assert.Equal(PathNormalizationResult.Ok, result);
        Assert.Same(raw, path);
    }

    [Theory]
    [InlineData("//", "/")]
    [InlineData("//a", "/a")]
    [InlineData("/a//b", "/a/b")]
    [InlineData("/a///b////c", "/a/b/c")]
    [InlineData("/a\\b", "/a/b")]
    [InlineData("/\\a", "/a")]
    [InlineData("/a\\\\b\\", "/a/b")]
    [InlineData("/x/", "/x")]
    [InlineData("/x/y/", "/x/y")]
    [InlineData("/x//", "/x")]
    [InlineData("//x//y//", "/x/y")]
    [InlineData("/caf%C3%A9//", "/caf%C3%A9")]
    public void Normalize_RepeatedOrTrailingSlashOrBackslash_RedirectsToFinalPathInOneStep(string raw, string expected)
    {
        // Act
        var result = RequestPathNormalizer.Normalize(raw, out var path);

        // Assert
        Assert.Equal(PathNormalizationResult.Redirect, result);
        Assert.Equal(expected, path);
        Assert.Equal(PathNormalizationResult.Ok, RequestPathNormalizer.Normalize(path, out _));
    }

    [Theory]
    [InlineData("/%2")]
    [InlineData("/%")]
    [InlineData("/a%")]
    [InlineData("/%zz")]
    [InlineData("/%2G")]
    [InlineData("/x/%E0%A4%A")] // truncated sequence
    [InlineData("/x/%E0%A4")] // missing continuation
    [InlineData("/x/%E0%A4x")]
    [InlineData("/%C3")] // lead byte alone
    [InlineData("/%A9")] // continuation byte alone
    [InlineData("/%C3%28")] // bad continuation
    [InlineData("/%C0%AF")] // overlong '/'
    [InlineData("/%ED%A0%80")] // UTF-16 surrogate
    [InlineData("/%F5%80%80%80")] // beyond U+10FFFF
    [InlineData("/%FF")]
    public void Normalize_MalformedPercentEncoding_ReturnsBadRequest(string raw)
    {
        // Act
        var result = RequestPathNormalizer.Normalize(raw, out _);

        // Assert
        Assert.Equal(PathNormalizationResult.BadRequest, result);
    }

    [Theory]
    [InlineData("/.")]
    [InlineData("/..")]
    [InlineData("/a/./b")]
    [InlineData("/a/../b")]
    [InlineData("/a/..")]
    [InlineData("/%2e")]
    [InlineData("/%2E")]
    [InlineData("/a/%2e%2e/b")]
    [InlineData("/a/%2E%2e/b")]
    [InlineData("/a/.%2e/b")]
    [InlineData("/a/%2e./b")]
    [InlineData("/a\\..\\b")]
    [InlineData("/a//../b")]
    [InlineData("/a/../")]
    public void Normalize_DotSegment_ReturnsBadRequest(string raw)
    {
        // Act
        var result = RequestPathNormalizer.Normalize(raw, out _);

        // Assert
        Assert.Equal(PathNormalizationResult.BadRequest, result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a/b")]
    [InlineData("\\a")]
    [InlineData("*")]
    [InlineData("http://host/a")]
    public void Normalize_NoLeadingSlash_ReturnsBadRequest(string raw)
    {
        // Act
        var result = RequestPathNormalizer.Normalize(raw, out _);

        // Assert
        Assert.Equal(PathNormalizationResult.BadRequest, result);
    }

    [Theory]
    [InlineData("/a\0b")]
    [InlineData("/a%00b")]
    [InlineData("/a\tb")]
    [InlineData("/a%09b")]
    [InlineData("/a\nb")]
    [InlineData("/a%0Ab")]
    [InlineData("/a%0db")]
    [InlineData("/a\u007fb")]
    [InlineData("/a%7Fb")]
    [InlineData("/a%C2%85b")] // C1 control NEL, UTF-8 encoded
    [InlineData("/a\u0085b")]
    [InlineData("//a%00")] // bad wins over a redirect
    public void Normalize_ControlCharacterRawOrEncoded_ReturnsBadRequest(string raw)
    {
        // Act
        var result = RequestPathNormalizer.Normalize(raw, out _);

        // Assert
        Assert.Equal(PathNormalizationResult.BadRequest, result);
    }

    [Fact]
    public void Normalize_LongPathNeedingRedirect_CollapsesBeyondStackBuffer()
    {
        // Arrange
        var raw = string.Concat(Enumerable.Repeat("//segment", 100)) + "/";

        // Act
        var result = RequestPathNormalizer.Normalize(raw, out var path);

        // Assert
        Assert.Equal(PathNormalizationResult.Redirect, result);
        Assert.Equal(string.Concat(Enumerable.Repeat("/segment", 100)), path);
    }

    [Fact]
    public void Normalize_NormalPath_AllocatesNothing()
    {
        // Arrange
        const string Raw = "/api/users/caf%C3%A9/posts/42";
        RequestPathNormalizer.Normalize(Raw, out _);

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            RequestPathNormalizer.Normalize(Raw, out _);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Equal(0, allocated);
    }
}
