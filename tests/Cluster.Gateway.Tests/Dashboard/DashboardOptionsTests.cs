using Cluster.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Tests.Dashboard;

public sealed class DashboardOptionsTests
{
    [Theory]
    [InlineData("--Gateway:Dashboard:SampleInterval=00:00:00.01", "SampleInterval")]
    [InlineData("--Gateway:Dashboard:SiloTimeout=00:00:02", "Gateway:Dashboard:SiloTimeout")]
    [InlineData("--Gateway:Dashboard:ViewerTimeout=01:00:00", "ViewerTimeout")]
    public async Task Start_InvalidSetting_FailsNamingIt(string setting, string named)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(EdgeAppManifest.Instance, setting));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }
}
