using System.Net;
using System.Text;
using System.Text.Json;
using Cluster.Gateway.Tests.Infrastructure;

namespace Cluster.Gateway.Tests.Hosting;

/// <summary><c>POST /_cluster/revalidate</c> on a gateway without <c>Cluster:AdminToken</c> (the shared edge-app gateway).</summary>
[Collection(EdgeAppCollection.Name)]
public sealed class RevalidationDisabledTests(EdgeAppFixture fixture)
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer anything")]
    [InlineData("Bearer ")]
    public async Task Post_NoAdminTokenConfigured_Returns403SayingWhatToSet(string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/_cluster/revalidate")
        {
            Content = new StringContent("""{"tag":"revalidation-t1"}""", Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Cluster:AdminToken", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(fixture.Host.Logs.Entries, static e => e.EventId.Id == 1319 && e.Level == LogLevel.Warning);
    }
}
