namespace Cluster.Gateway.Middleware;

/// <summary>Where a middleware rewrite points.</summary>
internal enum RewriteDestinationKind
{
    /// <summary>Not a path nor an absolute http(s) URL: the middleware's fault, answered 500.</summary>
    Invalid = 0,

    /// <summary>A path, or an absolute URL on the request's own host: routed here as that path.</summary>
    SameHost = 1,

    /// <summary>An absolute URL on another host: proxied, when the host is allowed.</summary>
    OtherHost = 2,
}
