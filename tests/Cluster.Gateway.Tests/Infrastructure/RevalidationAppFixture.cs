using System.Net.Http.Headers;
using System.Text;
using Cluster.Grains.Caching;

namespace Cluster.Gateway.Tests.Infrastructure;

/// <summary>
/// One embedded gateway serving tests/TestApps/EdgeApp with <c>Cluster:AdminToken</c> set, so that
/// <c>POST /_cluster/revalidate</c> is on; shared by the revalidation tests.
/// </summary>
public sealed class RevalidationAppFixture : IAsyncLifetime
{
    /// <summary>The admin token (HTTP header values are ASCII; non-ASCII tokens are covered by the comparison's unit tests).</summary>
    public const string AdminToken = "rev-token-9f3c2a7e.Kq~_x";

    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        // AddRouteCacheRevalidation is idempotent: harmless once the route grain client registers it too.
        Host = await GatewayHost.StartAsync(
            EdgeAppManifest.Instance,
            static services => services.AddRouteCacheRevalidation(),
            $"--Cluster:AdminToken={AdminToken}");

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Sends <c>POST /_cluster/revalidate</c> with <paramref name="body"/> and the admin token as a bearer token.</summary>
    public Task<HttpResponseMessage> RevalidateAsync(string body) => PostAsync(body, "Bearer " + AdminToken);

    /// <summary>Sends <c>POST /_cluster/revalidate</c> with an <c>Authorization</c> header as given (none when null).</summary>
    public Task<HttpResponseMessage> PostAsync(string body, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/_cluster/revalidate")
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return Host.Client.SendAsync(request);
    }
}
