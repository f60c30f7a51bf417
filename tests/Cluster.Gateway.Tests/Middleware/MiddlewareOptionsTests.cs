using Cluster.Gateway.Hosting;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Routing;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Tests.Middleware;

public sealed class MiddlewareOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var sut = new MiddlewareOptions();

        Assert.Empty(sut.ProxyAllowedHosts);
        Assert.Equal(TimeSpan.FromSeconds(30), sut.ProxyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), sut.WaitUntilTimeout);
        Assert.Equal("Gateway:Middleware", MiddlewareOptions.SectionName);
    }

    [Theory]
    [InlineData("--Gateway:Middleware:ProxyTimeout=00:00:00")]
    [InlineData("--Gateway:Middleware:WaitUntilTimeout=01:00:00")]
    [InlineData("--Gateway:Middleware:ProxyAllowedHosts:0= ")]
    public async Task Start_InvalidSetting_FailsOnStart(string setting)
    {
        var manifest = new MiddlewareTestApp().CreateManifest(static (_, _) => new(MiddlewareResult.Next()));

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(
            () => GatewayHost.StartAsync(manifest, setting).WaitAsync(TestTimeouts.Default));

        Assert.Contains(exception.Failures, f => f.Contains("Proxy", StringComparison.Ordinal) || f.Contains("WaitUntil", StringComparison.Ordinal));
    }
}
