using System.Net;
using Microsoft.AspNetCore.Http.Extensions;

namespace Cluster.LocalFront;

/// <summary>
/// Forwards a request to the next ready gateway and copies its answer back. When the connection to that gateway fails
/// before any answer (it stopped listening, or closed a kept-alive connection), a request that is idempotent and has no
/// body is sent once more to another ready gateway — what an Ingress controller does (nginx's
/// <c>proxy_next_upstream error</c>). Anything else that fails is a 502; no ready gateway at all is a 503.
/// </summary>
internal sealed partial class FrontProxy : IDisposable
{
    // Hop-by-hop headers (RFC 9110 section 7.6.1) belong to one connection and are never forwarded.
    private static readonly HashSet<string> s_hopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host",
    };

    private readonly BackendPool _pool;
    private readonly HttpMessageInvoker _invoker;
    private readonly ILogger _logger;

    public FrontProxy(BackendPool pool, ILogger<FrontProxy> logger)
    {
        _pool = pool;
        _logger = logger;
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var retriable = IsIdempotent(request.Method) && !HasBody(request);
        var backend = _pool.Next();
        if (backend is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ForwardAsync(context, backend);
                return;
            }
            catch (HttpRequestException ex) when (!context.Response.HasStarted)
            {
                _pool.MarkFailed(backend);
                var next = retriable && attempt == 1 ? _pool.Next(exclude: backend) : null;
                Log.ForwardFailed(_logger, request.Method, request.Path, backend, next is not null, ex.Message);
                if (next is null)
                {
                    context.Response.StatusCode = StatusCodes.Status502BadGateway;
                    return;
                }

                backend = next;
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return; // the client went away
            }
            catch (Exception ex) when (context.Response.HasStarted && ex is HttpRequestException or IOException)
            {
                // The answer broke off after its headers were sent: the client sees the broken connection, as it
                // would behind any proxy.
                Log.ResponseBrokeOff(_logger, request.Method, request.Path, backend, ex.Message);
                context.Abort();
                return;
            }
        }
    }

    public void Dispose() => _invoker.Dispose();

    private async Task ForwardAsync(HttpContext context, Uri backend)
    {
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(backend, request.GetEncodedPathAndQuery()))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (HasBody(request))
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (s_hopByHop.Contains(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        message.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        message.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);

        using var response = await _invoker.SendAsync(message, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        CopyHeaders(response.Headers, context.Response.Headers);
        CopyHeaders(response.Content.Headers, context.Response.Headers);
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders from, IHeaderDictionary to)
    {
        foreach (var (name, values) in from)
        {
            if (!s_hopByHop.Contains(name))
            {
                to[name] = values.ToArray();
            }
        }
    }

    private static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ||
        HttpMethods.IsTrace(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Warning, "{Method} {Path} to {Backend} failed before an answer ({Reason}); retried on another gateway: {Retried}.")]
        public static partial void ForwardFailed(ILogger logger, string method, PathString path, Uri backend, bool retried, string reason);

        [LoggerMessage(11, LogLevel.Warning, "{Method} {Path} from {Backend} broke off after its headers were sent ({Reason}).")]
        public static partial void ResponseBrokeOff(ILogger logger, string method, PathString path, Uri backend, string reason);
    }
}
