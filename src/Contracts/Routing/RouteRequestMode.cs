namespace Cluster.Routing;

/// <summary>
/// How a <see cref="RouteRequest"/> exposes the request's data: as received, or — for a render whose response the
/// route cache stores and serves to everyone — not at all, in one of the three ways Next.js's segment config asks for.
/// </summary>
internal enum RouteRequestMode : byte
{
    /// <summary>An ordinary request: everything the client sent.</summary>
    Live,

    /// <summary><c>Dynamic = ForceStatic</c>: no headers, cookies or query, a query-less URL; reading them is fine.</summary>
    Hidden,

    /// <summary><c>Dynamic = Error</c>: reading headers, cookies or the query throws <see cref="StaticGenerationBailoutException"/>.</summary>
    Forbidden,

    /// <summary>
    /// <c>Dynamic = Auto</c> opted into caching: empty like <see cref="Hidden"/>, but a read is recorded so the runtime can
    /// discard the render and fall back to rendering the route per request, as Next.js does.
    /// </summary>
    Tracked,
}
