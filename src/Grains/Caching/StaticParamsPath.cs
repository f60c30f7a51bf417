using Cluster.Routing;

namespace Cluster.Grains.Caching;

/// <summary>One path a route lists with <c>GenerateStaticParams</c>.</summary>
/// <param name="Pattern">The route's pattern (the key of its grain).</param>
/// <param name="Path">The path built from the params (percent-encoded, normalised), as a request for it is routed.</param>
/// <param name="Params">The params as the router decodes them from <paramref name="Path"/> (pattern order; an empty
/// optional catch-all is absent).</param>
internal readonly record struct StaticParamsPath(string Pattern, string Path, RouteParams Params);
