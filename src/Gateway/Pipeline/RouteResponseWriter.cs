using System.Text;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Microsoft.Extensions.Primitives;

namespace Cluster.Gateway.Pipeline;

/// <summary>Writes a handler's <see cref="RouteResponse"/> to the client.</summary>
internal static class RouteResponseWriter
{
    /// <summary>The response header that says how the route cache answered (HIT, STALE or MISS) on cached routes.</summary>
    public const string RouteCacheHeader = "x-route-cache";

    /// <summary>
    /// The <c>Cache-Control</c> of a route response that is not cached, unless the handler or the middleware set one
    /// (Next.js's value for dynamic responses): no shared cache or browser may keep or reuse it.
    /// </summary>
    public const string DynamicCacheControl = "private, no-cache, no-store, max-age=0, must-revalidate";

    /// <summary>The <c>Cache-Control</c> of the gateway's own 404 (no route, or a param a route does not list).</summary>
    public const string NotFoundCacheControl = "no-cache, no-store, max-age=0, must-revalidate";

    private const string Hit = "HIT";
    private const string Stale = "STALE";
    private const string Miss = "MISS";

    /// <summary>
    /// Writes a route's reply: the response, then <c>x-route-cache</c> from <paramref name="cache"/> for a cached route,
    /// or for one that is not cached <see cref="DynamicCacheControl"/> unless the response or the middleware set a
    /// <c>Cache-Control</c>. (A cached response carries the <c>Cache-Control</c> its owner computed.)
    /// </summary>
    public static Task WriteReplyAsync(HttpContext context, RouteResponse result, RouteCacheStatus cache, bool omitBody)
    {
        var response = context.Response;
        WriteHead(response, result);
        var headers = response.Headers;
        switch (cache)
        {
            case RouteCacheStatus.None:
                if (StringValues.IsNullOrEmpty(headers.CacheControl))
                {
                    headers.CacheControl = DynamicCacheControl;
                }

                break;
            case RouteCacheStatus.Hit:
                headers[RouteCacheHeader] = Hit;
                break;
            case RouteCacheStatus.Stale:
                headers[RouteCacheHeader] = Stale;
                break;
            case RouteCacheStatus.Miss:
                headers[RouteCacheHeader] = Miss;
                break;
        }

        return WriteBody(context, result, omitBody);
    }

    /// <summary>Writes a response as it is (the middleware's own answer).</summary>
    public static Task WriteAsync(HttpContext context, RouteResponse result, bool omitBody)
    {
        WriteHead(context.Response, result);
        return WriteBody(context, result, omitBody);
    }

    private static void WriteHead(HttpResponse response, RouteResponse result)
    {
        response.StatusCode = result.Status;
        if (result.ContentType is { } contentType)
        {
            response.ContentType = contentType;
        }

        // The first value of a name replaces what the middleware may have put there (the response's own header wins);
        // later values of the same name, and every Set-Cookie, are added beside it.
        var headers = result.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var (name, value) = headers[i];
            if (IsFirstOfName(headers, i) && !string.Equals(name, "set-cookie", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers[name] = value;
            }
            else
            {
                response.Headers.Append(name, value);
            }
        }
    }

    private static Task WriteBody(HttpContext context, RouteResponse result, bool omitBody)
    {
        var response = context.Response;
        var body = result.Body;
        if (body.IsEmpty || result.Status is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
        {
            if (result.Status is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified))
            {
                response.ContentLength = 0;
            }

            return Task.CompletedTask;
        }

        response.ContentLength = body.Length;
        if (omitBody)
        {
            // HEAD: the GET's headers, Content-Length included, without its body.
            return Task.CompletedTask;
        }

        var flush = response.BodyWriter.WriteAsync(body, context.RequestAborted);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }

    private static bool IsFirstOfName(IReadOnlyList<KeyValuePair<string, string>> headers, int index)
    {
        var name = headers[index].Key;
        for (var i = 0; i < index; i++)
        {
            if (string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A response of the gateway's own with an empty body (400, 404, 405, 413, 414, 5xx).</summary>
    public static Task WriteEmpty(HttpContext context, int status, string? allow = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentLength = 0;
        if (allow is not null)
        {
            response.Headers.Allow = allow;
        }

        return Task.CompletedTask;
    }

    /// <summary>A routing redirect (308): the destination as body and a <c>Refresh</c> header, as Next.js sends them.</summary>
    public static Task WriteRedirect(HttpContext context, string location)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status308PermanentRedirect;
        response.Headers.Location = location;
        response.Headers["Refresh"] = "0;url=" + location;
        response.ContentType = "text/plain; charset=utf-8";
        var body = Encoding.UTF8.GetBytes(location);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
