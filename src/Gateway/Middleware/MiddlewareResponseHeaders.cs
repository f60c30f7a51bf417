using Cluster.Gateway.Diagnostics;
using Cluster.Routing;

namespace Cluster.Gateway.Middleware;

/// <summary>
/// Adds a middleware's <see cref="MiddlewareResult.ResponseHeaders"/> (its <c>WithResponseHeader</c> and
/// <c>WithCookie</c> entries) to the final response, whatever produced it: the handler, a proxied upstream, the
/// middleware's own redirect or response, or one of the gateway's answers (404, 405, OPTIONS, 5xx).
/// </summary>
/// <remarks>
/// The headers are put on the response as soon as the middleware returns, before anything else writes to it; every
/// writer after that (<see cref="Pipeline.RouteResponseWriter"/>, the proxy, the gateway's own answers) sets a header
/// name it writes rather than adding to it, so the merge rule holds:
/// <list type="bullet">
/// <item><c>set-cookie</c> entries are always appended, each its own <c>Set-Cookie</c> header, next to any the response
/// sets;</item>
/// <item>for any other name, a header the response itself sets wins (the handler, upstream or gateway knows its own
/// response best; Next.js has no single rule here); several middleware entries of one name are all kept when the
/// response does not set that name;</item>
/// <item><c>content-length</c> and <c>transfer-encoding</c> are never taken from the middleware: they describe the
/// body's framing, which only the writer of the body knows.</item>
/// </list>
/// Applying them up front rather than from <c>HttpResponse.OnStarting</c> matters for speed: a registered callback moves
/// Kestrel onto its slower, awaited response-start path, which cost about 3 µs of CPU per request (bench/README.md).
/// </remarks>
internal static partial class MiddlewareResponseHeaders
{
    /// <summary>Puts the middleware's headers on the response now; nothing when there are none.</summary>
    public static void Apply(HttpResponse response, IReadOnlyList<KeyValuePair<string, string>> headers, ILogger logger)
    {
        if (headers.Count == 0)
        {
            return;
        }

        var target = response.Headers;
        if (headers.Count == 1 && target.Count == 0)
        {
            // The common case (one header on a response nothing has written to yet): no merge to decide, one set.
            SetOne(target, headers[0], logger);
            return;
        }

        ApplyTo(target, headers, logger);
    }

    /// <summary>Merges <paramref name="headers"/> into <paramref name="target"/> by the rule above.</summary>
    public static void ApplyTo(IHeaderDictionary target, IReadOnlyList<KeyValuePair<string, string>> headers, ILogger logger)
    {
        // Which names the response already had is decided before the first append, so a second middleware entry of a
        // name is not mistaken for one the response set.
        var count = headers.Count;
        Span<bool> skip = count <= 32 ? stackalloc bool[count] : new bool[count];
        for (var i = 0; i < count; i++)
        {
            var name = headers[i].Key;
            skip[i] = IsFraming(name) || (!IsSetCookie(name) && target.ContainsKey(name));
        }

        for (var i = 0; i < count; i++)
        {
            if (skip[i])
            {
                continue;
            }

            var (name, value) = headers[i];
            try
            {
                target.Append(name, value);
            }
            catch (InvalidOperationException)
            {
                // Kestrel refuses values it cannot send (non-ASCII, for one). The response is already decided, so the
                // header is dropped rather than turning it into a 500.
                Log.ResponseHeaderRejected(logger, name);
            }
        }
    }

    private static void SetOne(IHeaderDictionary target, KeyValuePair<string, string> header, ILogger logger)
    {
        if (IsFraming(header.Key))
        {
            return;
        }

        try
        {
            target[header.Key] = header.Value;
        }
        catch (InvalidOperationException)
        {
            Log.ResponseHeaderRejected(logger, header.Key);
        }
    }

    private static bool IsSetCookie(string name) => string.Equals(name, "set-cookie", StringComparison.OrdinalIgnoreCase);

    private static bool IsFraming(string name) =>
        string.Equals(name, "content-length", StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, "transfer-encoding", StringComparison.OrdinalIgnoreCase);

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.MiddlewareResponseHeaderRejected, LogLevel.Warning, "The middleware's response header {Name} has a value the server cannot send; it was left out.")]
        public static partial void ResponseHeaderRejected(ILogger logger, string name);
    }
}
