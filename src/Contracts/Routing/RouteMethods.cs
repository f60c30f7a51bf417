namespace Cluster.Routing;

/// <summary>A set of <see cref="RouteMethod"/> values: the methods a route file implements.</summary>
[Flags]
public enum RouteMethods
{
    /// <summary>No method.</summary>
    None = 0,
    /// <summary>GET.</summary>
    Get = 1 << RouteMethod.Get,
    /// <summary>HEAD.</summary>
    Head = 1 << RouteMethod.Head,
    /// <summary>OPTIONS.</summary>
    Options = 1 << RouteMethod.Options,
    /// <summary>POST.</summary>
    Post = 1 << RouteMethod.Post,
    /// <summary>PUT.</summary>
    Put = 1 << RouteMethod.Put,
    /// <summary>PATCH.</summary>
    Patch = 1 << RouteMethod.Patch,
    /// <summary>DELETE.</summary>
    Delete = 1 << RouteMethod.Delete,
}
