using System.Net;
using System.Text;
using System.Text.Json;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>An HTTP client of one gateway that reads the route cache's answers (status, <c>x-route-cache</c>, render number).</summary>
internal sealed class GatewayClient : IDisposable
{
    private readonly HttpClient _client;

    public GatewayClient(ClusterHost gateway)
    {
        Name = gateway.Name;
        _client = new HttpClient { BaseAddress = gateway.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Name { get; }

    public async Task<CachedReply> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        string? cache = null;
        if (response.Headers.TryGetValues("x-route-cache", out var values))
        {
            // More than one value (the owner's stored response carrying one too) shows as "HIT,HIT" and fails equality.
            cache = string.Join(",", values);
        }

        return new CachedReply(Name, path, response.StatusCode, cache, RenderOf(response.StatusCode, body), response.Headers.CacheControl, body);
    }

    /// <summary>POSTs <paramref name="json"/> (or nothing) with an optional bearer token; the status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string? json = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _client.Dispose();

    private static int RenderOf(HttpStatusCode status, string body)
    {
        if (status != HttpStatusCode.OK || body.Length == 0 || body[0] != '{')
        {
            return 0;
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("render", out var render) ? render.GetInt32() : 0;
    }
}
