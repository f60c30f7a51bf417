namespace Cluster.Routing.Hosting;

/// <summary>What may follow the literal of a <see cref="MiddlewarePathShape"/>: nothing, or <c>/segment</c>s.</summary>
/// <remarks>
/// A segment is one or more characters, none of which is <c>/</c>, <c>#</c> or <c>?</c> (path-to-regexp's default
/// parameter pattern). Each member names the path-to-regexp source it stands for.
/// </remarks>
public enum MiddlewarePathTail
{
    /// <summary>Nothing: the literal is the whole path (<c>/about</c>).</summary>
    None,

    /// <summary>Exactly one <c>/segment</c> (<c>/blog/:slug</c>).</summary>
    OneSegment,

    /// <summary>Zero or one <c>/segment</c> (<c>/blog/:slug?</c>).</summary>
    OptionalSegment,

    /// <summary>One or more <c>/segment</c>s (<c>/shop/:rest+</c>).</summary>
    OneOrMoreSegments,

    /// <summary>Zero or more <c>/segment</c>s (<c>/api/:path*</c>).</summary>
    ZeroOrMoreSegments,
}
