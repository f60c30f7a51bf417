namespace Cluster.Routing;

/// <summary>The HTTP methods a route file can implement (Next.js 15/16's list).</summary>
public enum RouteMethod
{
    /// <summary>GET.</summary>
    Get,
    /// <summary>HEAD.</summary>
    Head,
    /// <summary>OPTIONS.</summary>
    Options,
    /// <summary>POST.</summary>
    Post,
    /// <summary>PUT.</summary>
    Put,
    /// <summary>PATCH.</summary>
    Patch,
    /// <summary>DELETE.</summary>
    Delete,
}
