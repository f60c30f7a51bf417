namespace Cluster.Routing;

/// <summary>Next.js's <c>dynamic</c> segment option for a route handler.</summary>
public enum DynamicMode
{
    /// <summary>Dynamic unless another option opts the GET into caching (Next.js 15+ default).</summary>
    Auto,
    /// <summary>Always executed per request, never cached.</summary>
    ForceDynamic,
    /// <summary>The GET output is cached; the handler sees no headers, cookies or query.</summary>
    ForceStatic,
    /// <summary>Like <see cref="ForceStatic"/>, but reading request data fails the render.</summary>
    Error,
}
