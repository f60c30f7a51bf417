using System.Net;
using Cluster.Gateway.Tests.Infrastructure;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>The dashboard outside Development without <c>Cluster:AdminToken</c>: off, saying what to set.</summary>
public sealed class DashboardDisabledTests : IAsyncLifetime
{
    private GatewayHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(EdgeAppManifest.Instance, "--environment=Production");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnyDashboardRequest_NoAdminTokenConfigured_Returns403SayingWhatToSet()
    {
        var requests = new (HttpMethod Method, string Path, string? Authorization, HttpContent? Content)[]
        {
            (HttpMethod.Get, "/_cluster/dashboard", null, null),
            (HttpMethod.Get, "/_cluster/dashboard", "Bearer anything", null),
            (HttpMethod.Get, "/_cluster/dashboard/snapshot", null, null),
            (HttpMethod.Get, "/_cluster/dashboard/events", "Bearer anything", null),
            (HttpMethod.Post, "/_cluster/dashboard/login", null, new FormUrlEncodedContent([new("token", "anything")])),
        };

        foreach (var (method, path, authorization, content) in requests)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await _host.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("Cluster:AdminToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("Set-Cookie"));
            DashboardAssertions.HasSecurityHeaders(response);
        }

        Assert.Contains(_host.Logs.Entries, static e => e.EventId.Id == 5001 && e.Level == LogLevel.Warning);
    }
}
