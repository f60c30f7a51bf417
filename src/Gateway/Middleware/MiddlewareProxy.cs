using System.Collections.Frozen;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Hosting;
using Cluster.Gateway.Pipeline;
using Cluster.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Cluster.Gateway.Middleware;

/// <summary>
/// Proxies a middleware rewrite to another host (spec §3.3, item 3), when <c>Gateway:Middleware:ProxyAllowedHosts</c>
/// lists it: the request goes out with its method, its headers as the middleware left them (without hop-by-hop ones
/// and <c>Host</c>), <c>x-forwarded-*</c> and the buffered body; the upstream's status, headers and body stream back.
/// </summary>
/// <remarks>
/// Errors: a host not allowed is 502 (the gateway refuses to become an open proxy); a connection failure is 502; no
/// response headers within <c>Gateway:Middleware:ProxyTimeout</c> is 504. Once the upstream's headers have been sent
/// on, a failure can only abort the client's connection. Redirects are passed back as they are and cookies are never
/// stored: the named client (<see cref="HttpClientName"/>) is built for that.
/// </remarks>
internal sealed partial class MiddlewareProxy
{
    /// <summary>The name of the proxy's <see cref="HttpClient"/> in <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "Cluster.Gateway.MiddlewareProxy";

    // Connection-level headers (RFC 9110 §7.6.1) describe one hop, never the next. "host" is the upstream's own.
    private static readonly FrozenSet<string> s_notForwarded = new[]
    {
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length", "expect",
        "x-forwarded-host", "x-forwarded-proto", "x-forwarded-for",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> s_notReturned = new[]
    {
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private readonly IHttpClientFactory _clients;
    private readonly FrozenSet<string> _allowedHosts;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MiddlewareProxy> _logger;

    public MiddlewareProxy(IHttpClientFactory clients, IOptions<MiddlewareOptions> options, TimeProvider timeProvider, ILogger<MiddlewareProxy> logger)
    {
        _clients = clients;
        _allowedHosts = options.Value.ProxyAllowedHosts.Select(static host => host.Trim()).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _timeout = options.Value.ProxyTimeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Whether <c>Gateway:Middleware:ProxyAllowedHosts</c> lists the destination's host, or its host and port.</summary>
    public bool IsAllowed(Uri destination) =>
        _allowedHosts.Count != 0 && (_allowedHosts.Contains(destination.Host) || _allowedHosts.Contains(destination.Authority));

    /// <summary>Sends the request to <paramref name="destination"/> and streams the answer back to the client.</summary>
    /// <param name="context">The client's request.</param>
    /// <param name="destination">The absolute URL to call (its query already merged).</param>
    /// <param name="headers">The request headers as the middleware left them.</param>
    /// <param name="body">The buffered request body.</param>
    public async Task ForwardAsync(HttpContext context, Uri destination, RouteHeaders headers, ReadOnlyMemory<byte> body)
    {
        var aborted = context.RequestAborted;
        using var request = CreateRequest(context, destination, headers, body);
        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
        HttpResponseMessage upstream;
        try
        {
            upstream = await _clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            Log.ClientAborted(_logger, destination.Authority);
            return;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Log.TimedOut(_logger, destination.Authority, _timeout, GatewayMetrics.MiddlewareRoute, "-", GatewayTracing.TraceIdOf(Activity.Current) ?? "-");
            await RouteResponseWriter.WriteEmpty(context, StatusCodes.Status504GatewayTimeout).ConfigureAwait(false);
            return;
        }
        catch (HttpRequestException exception)
        {
            Log.Failed(_logger, destination.Authority, GatewayMetrics.MiddlewareRoute, "-", GatewayTracing.TraceIdOf(Activity.Current) ?? "-", exception);
            await RouteResponseWriter.WriteEmpty(context, StatusCodes.Status502BadGateway).ConfigureAwait(false);
            return;
        }

        using (upstream)
        {
            var response = context.Response;
            response.StatusCode = (int)upstream.StatusCode;
            CopyHeaders(upstream.Headers.NonValidated, response.Headers, destination);
            CopyHeaders(upstream.Content.Headers.NonValidated, response.Headers, destination);
            try
            {
                // Streamed: each chunk is written to the client as it arrives (HEAD and bodiless statuses read nothing).
                await upstream.Content.CopyToAsync(response.Body, aborted).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException)
            {
                // The status line is gone already; either side dropping mid-body leaves only closing the connection.
                Log.ClientAborted(_logger, destination.Authority);
                context.Abort();
            }
        }
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, Uri destination, RouteHeaders headers, ReadOnlyMemory<byte> body)
    {
        var request = new HttpRequestMessage(HttpMethod.Parse(context.Request.Method), destination)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (!body.IsEmpty)
        {
            request.Content = new ReadOnlyMemoryContent(body);
        }

        // The Connection header may name more headers that are for this hop only.
        headers.TryGetValue("connection", out var connection);
        string? forwardedFor = null;
        foreach (var (name, value) in headers.AsSpan())
        {
            if (string.Equals(name, "x-forwarded-for", StringComparison.OrdinalIgnoreCase))
            {
                forwardedFor = value;
            }

            if (s_notForwarded.Contains(name) || (connection is not null && ListsToken(connection, name)))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                // Content headers (content-type, content-encoding, …) belong to the content, even an empty one.
                request.Content ??= new ReadOnlyMemoryContent(ReadOnlyMemory<byte>.Empty);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var incoming = context.Request;
        request.Headers.TryAddWithoutValidation("x-forwarded-host", incoming.Host.Value ?? string.Empty);
        request.Headers.TryAddWithoutValidation("x-forwarded-proto", incoming.Scheme);
        if (context.Connection.RemoteIpAddress is { } client)
        {
            var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4().ToString() : client.ToString();
            request.Headers.TryAddWithoutValidation("x-forwarded-for", forwardedFor is null ? address : forwardedFor + ", " + address);
        }
        else if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("x-forwarded-for", forwardedFor);
        }

        return request;
    }

    private void CopyHeaders(HttpHeadersNonValidated source, IHeaderDictionary target, Uri destination)
    {
        foreach (var (name, values) in source)
        {
            if (s_notReturned.Contains(name))
            {
                continue;
            }

            try
            {
                // Upstream headers replace the middleware's of the same name, except cookies: both sets are kept.
                var upstreamValues = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
                if (string.Equals(name, "set-cookie", StringComparison.OrdinalIgnoreCase))
                {
                    target.Append(name, upstreamValues);
                }
                else
                {
                    target[name] = upstreamValues;
                }
            }
            catch (InvalidOperationException)
            {
                // Kestrel refuses values it cannot send (non-ASCII, for one): leave the header out, keep the response.
                Log.HeaderSkipped(_logger, name, destination.Authority);
            }
        }
    }

    private static bool ListsToken(string list, string token)
    {
        foreach (var range in list.AsSpan().Split(','))
        {
            if (list.AsSpan()[range].Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.MiddlewareProxyFailed, LogLevel.Warning, "The middleware's proxy to {Upstream} failed to connect or send; answered 502. Route {Route}, silo {Silo}, trace {TraceId}.")]
        public static partial void Failed(ILogger logger, string upstream, string route, string silo, string traceId, Exception exception);

        [LoggerMessage(GatewayEventIds.MiddlewareProxyTimedOut, LogLevel.Warning, "The middleware's proxy to {Upstream} got no response within {Timeout} (Gateway:Middleware:ProxyTimeout); answered 504. Route {Route}, silo {Silo}, trace {TraceId}.")]
        public static partial void TimedOut(ILogger logger, string upstream, TimeSpan timeout, string route, string silo, string traceId);

        [LoggerMessage(GatewayEventIds.ClientAborted, LogLevel.Debug, "The client or the upstream {Upstream} went away during a proxied request.")]
        public static partial void ClientAborted(ILogger logger, string upstream);

        [LoggerMessage(GatewayEventIds.MiddlewareProxyHeaderSkipped, LogLevel.Warning, "The response header {Name} from {Upstream} has a value the server cannot send; it was left out.")]
        public static partial void HeaderSkipped(ILogger logger, string name, string upstream);
    }
}
