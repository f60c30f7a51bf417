namespace Cluster.Gateway.Middleware;

/// <summary>
/// The request headers Next.js uses internally to carry middleware and routing decisions (spec §3.5). A client must
/// never be able to send them: CVE-2025-29927 let <c>x-middleware-subrequest</c> skip the middleware entirely. The
/// gateway itself carries every middleware decision inside its own objects (<c>RouteInvocation</c>), never as a header,
/// so nothing it trusts can be forged; stripping these still keeps them from reaching handlers and proxied upstreams,
/// which may be Next.js servers that would trust them.
/// </summary>
/// <remarks>
/// Removed: every <c>x-middleware-*</c> (subrequest, rewrite, next, redirect, skip, set-cookie, override-headers,
/// request-*, …), every <c>x-nextjs-*</c>, <c>x-matched-path</c> and <c>x-now-route-matches</c>; names compare
/// case-insensitively.
/// </remarks>
internal static class InternalRequestHeaders
{
    private const string MiddlewarePrefix = "x-middleware-";
    private const string NextJsPrefix = "x-nextjs-";
    private const string MatchedPath = "x-matched-path";
    private const string RouteMatches = "x-now-route-matches";

    /// <summary>Whether a request header name is one of the internal ones.</summary>
    public static bool IsInternal(string name)
    {
        // Almost every header fails the first test, so the common case is two character compares.
        if (name.Length < NextJsPrefix.Length || (name[0] | 0x20) != 'x' || name[1] != '-')
        {
            return false;
        }

        return name.StartsWith(MiddlewarePrefix, StringComparison.OrdinalIgnoreCase)
            || name.StartsWith(NextJsPrefix, StringComparison.OrdinalIgnoreCase)
            || name.Equals(MatchedPath, StringComparison.OrdinalIgnoreCase)
            || name.Equals(RouteMatches, StringComparison.OrdinalIgnoreCase);
    }
}
