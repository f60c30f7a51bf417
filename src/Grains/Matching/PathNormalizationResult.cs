namespace Cluster.Grains.Matching;

/// <summary>What <see cref="RequestPathNormalizer.Normalize"/> decided about a request path.</summary>
internal enum PathNormalizationResult
{
    /// <summary>The path is already normal; route it as is.</summary>
    Ok = 0,

    /// <summary>
    /// The path has repeated slashes, a backslash or a trailing slash: answer 308 to the normal path (keeping the
    /// query), as Next.js does.
    /// </summary>
    Redirect = 1,

    /// <summary>
    /// The path cannot be routed safely (no leading <c>/</c>, malformed percent-encoding, a dot segment, a control
    /// character): answer 400.
    /// </summary>
    BadRequest = 2,
}
