using System.Net;
using System.Net.Http.Headers;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// One answer of a cluster-cache test route as a client saw it. <see cref="Render"/> is the render number the route put
/// in its JSON body (0 when the body has none, e.g. a 404).
/// </summary>
internal sealed record CachedReply(string Gateway, string Path, HttpStatusCode Status, string? Cache, int Render, CacheControlHeaderValue? CacheControl, string Body)
{
    public override string ToString() => $"{Gateway} GET {Path} → {(int)Status} x-route-cache={Cache ?? "(none)"} render={Render} cache-control={CacheControl} body={Body}";
}
