using System.Text;
using Cluster.Routing;

namespace Cluster.Gateway.Pipeline;

/// <summary>Writes a handler's <see cref="RouteResponse"/> to the client.</summary>
internal static class RouteResponseWriter
{
    public static Task WriteAsync(HttpContext context, RouteResponse result, bool omitBody)
    {
        var response = context.Response;
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
