using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Cluster.Gateway.Diagnostics;
using Cluster.Runtime.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// The dashboard's endpoints under <c>/_cluster/dashboard</c>: the page and its two assets, the snapshot JSON, the
/// event stream and the login form's target; anything else under the path is 404. Every answer carries the same strict
/// headers (<see cref="ApplySecurityHeaders"/>). See <c>Dashboard/README.md</c>.
/// </summary>
internal sealed partial class DashboardEndpoints
{
    /// <summary>The dashboard's path.</summary>
    public const string Path = ClusterEndpoints.Prefix + "/dashboard";

    /// <summary>
    /// Only this origin's scripts, styles and connections (the page's own <c>app.js</c>, <c>app.css</c>, snapshot and
    /// events); no inline script or style, no frame, no plug-in, forms post only here.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private const string JsonContentType = "application/json; charset=utf-8";
    private const string EventStreamContentType = "text/event-stream; charset=utf-8";
    private const string BearerChallenge = "Bearer realm=\"cluster-dashboard\"";

    /// <summary>The largest login form accepted (the token, and room for a browser's extra fields).</summary>
    private const int MaxLoginBytes = 8 * 1024;

    private static readonly byte[] s_notFound = "Not found.\n"u8.ToArray();
    private static readonly byte[] s_disabledJson =
        """{"error":"The dashboard is off: set Cluster:AdminToken to a secret, then sign in with it or send it as 'Authorization: Bearer <token>'."}"""u8.ToArray();
    private static readonly byte[] s_unauthorizedJson =
        """{"error":"Sign in at /_cluster/dashboard or send Cluster:AdminToken as 'Authorization: Bearer <token>'."}"""u8.ToArray();
    private static readonly byte[] s_unavailableJson = """{"error":"The dashboard could not take a sample; the gateway's log says why."}"""u8.ToArray();
    private static readonly byte[] s_retry = "retry: 2000\n\n"u8.ToArray();

    private readonly DashboardAuthenticator _authenticator;
    private readonly DashboardAssets _assets;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;

    public DashboardEndpoints(DashboardAuthenticator authenticator, DashboardAssets assets, IHostApplicationLifetime lifetime, ILogger<DashboardEndpoints> logger)
    {
        _authenticator = authenticator;
        _assets = assets;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>Maps the dashboard (before the cluster endpoints' catch-all, which would answer its paths with a bare 404).</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var dashboard = ActivatorUtilities.CreateInstance<DashboardEndpoints>(endpoints.ServiceProvider);
        endpoints.MapGet(Path, dashboard.PageAsync);
        endpoints.MapGet(Path + "/app.js", dashboard.ScriptAsync);
        endpoints.MapGet(Path + "/app.css", dashboard.StylesAsync);
        endpoints.MapGet(Path + "/favicon.svg", dashboard.IconAsync);
        endpoints.MapGet(Path + "/snapshot", dashboard.SnapshotAsync);
        endpoints.MapGet(Path + "/events", dashboard.EventsAsync);
        endpoints.MapPost(Path + "/login", dashboard.LoginAsync);
        endpoints.Map(Path + "/{**rest}", static context => WriteAsync(context, StatusCodes.Status404NotFound, "text/plain; charset=utf-8", s_notFound));
    }

    /// <summary>The headers of every dashboard answer.</summary>
    internal static void ApplySecurityHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    private Task PageAsync(HttpContext context) => Access(context) switch
    {
        DashboardAccess.Open or DashboardAccess.Granted => WriteAsync(context, StatusCodes.Status200OK, DashboardAssets.HtmlContentType, _assets.Page),
        DashboardAccess.Disabled => WriteAsync(context, StatusCodes.Status403Forbidden, DashboardAssets.HtmlContentType, _assets.Disabled),
        DashboardAccess.Rejected => ChallengeAsync(context, _assets.LoginWrongToken),

        // Not signed in yet: the sign-in form is this page's content, not a failure.
        _ => WriteAsync(context, StatusCodes.Status200OK, DashboardAssets.HtmlContentType, _assets.Login),
    };

    // The assets hold no data, and the sign-in page uses the stylesheet and icon: they are served to anyone.
    private Task ScriptAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status200OK, DashboardAssets.ScriptContentType, _assets.Script);

    private Task StylesAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status200OK, DashboardAssets.StylesContentType, _assets.Styles);

    private Task IconAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status200OK, DashboardAssets.IconContentType, _assets.Icon);

    private async Task SnapshotAsync(HttpContext context)
    {
        if (!await AuthorizeDataAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var sampler = context.RequestServices.GetRequiredService<DashboardSampler>();
        DashboardSample sample;
        try
        {
            sample = await sampler.GetSnapshotAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception)
        {
            // The sample failed (the sampler logged why), or the gateway stops.
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, JsonContentType, s_unavailableJson).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, JsonContentType, sample.Json).ConfigureAwait(false);
    }

    private async Task EventsAsync(HttpContext context)
    {
        if (!await AuthorizeDataAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var sampler = context.RequestServices.GetRequiredService<DashboardSampler>();
        var response = context.Response;
        ApplySecurityHeaders(response);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = EventStreamContentType;
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Ends when the viewer leaves or the gateway stops (a stream never ends by itself, and would hold up the shutdown).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _lifetime.ApplicationStopping);
        using var subscription = sampler.Subscribe();
        Log.StreamOpened(_logger, context.Connection.RemoteIpAddress?.ToString(), sampler.Viewers);
        var writer = response.BodyWriter;
        try
        {
            // Sent at once, so the page sees the stream open before the first sample.
            await writer.WriteAsync(s_retry, stopping.Token).ConfigureAwait(false);
            await foreach (var sample in subscription.Samples.ReadAllAsync(stopping.Token).ConfigureAwait(false))
            {
                WriteEvent(writer, sample);
                var flushed = await writer.FlushAsync(stopping.Token).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The viewer left, or the gateway stops.
        }

        Log.StreamClosed(_logger, context.Connection.RemoteIpAddress?.ToString());
    }

    private async Task LoginAsync(HttpContext context)
    {
        var request = context.Request;
        switch (Access(context))
        {
            case DashboardAccess.Open:
                RedirectToDashboard(context.Response);
                return;
            case DashboardAccess.Disabled:
                await WriteAsync(context, StatusCodes.Status403Forbidden, DashboardAssets.HtmlContentType, _assets.Disabled).ConfigureAwait(false);
                return;
        }

        var token = await ReadTokenAsync(context).ConfigureAwait(false);
        if (token is null)
        {
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await WriteAsync(context, StatusCodes.Status400BadRequest, DashboardAssets.HtmlContentType, _assets.LoginBadForm).ConfigureAwait(false);
            }

            return;
        }

        if (_authenticator.Login(token) is not { } session)
        {
            Log.Unauthorized(_logger, context.Connection.RemoteIpAddress?.ToString(), "a wrong token in the login form");
            await ChallengeAsync(context, _assets.LoginWrongToken).ConfigureAwait(false);
            return;
        }

        context.Response.Cookies.Append(DashboardAuthenticator.CookieName, session, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            Path = Path,
            IsEssential = true,
        });
        Log.SignedIn(_logger, context.Connection.RemoteIpAddress?.ToString());
        RedirectToDashboard(context.Response);
    }

    private static void RedirectToDashboard(HttpResponse response)
    {
        ApplySecurityHeaders(response);
        response.StatusCode = StatusCodes.Status303SeeOther;
        response.Headers.Location = Path;
    }

    /// <summary>The form's <c>token</c> field; null when the request is not a small form with exactly one.</summary>
    private static async Task<string?> ReadTokenAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasFormContentType || request.ContentLength > MaxLoginBytes)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxLoginBytes;
        }

        context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            ValueCountLimit = 16,
            KeyLengthLimit = 64,
            ValueLengthLimit = MaxLoginBytes,
            MultipartBodyLengthLimit = MaxLoginBytes,
            MultipartHeadersLengthLimit = MaxLoginBytes,
        }));
        try
        {
            var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            return form.TryGetValue("token", out var values) && values.Count == 1 ? values[0] : null;
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    private DashboardAccess Access(HttpContext context)
    {
        var access = _authenticator.Check(context.Request);
        switch (access)
        {
            case DashboardAccess.Disabled:
                Log.Disabled(_logger);
                break;
            case DashboardAccess.Rejected:
                Log.Unauthorized(_logger, context.Connection.RemoteIpAddress?.ToString(), "a wrong bearer token");
                break;
        }

        return access;
    }

    /// <summary>For the snapshot and the events: true to go on; otherwise the refusal is written (JSON).</summary>
    private async Task<bool> AuthorizeDataAsync(HttpContext context)
    {
        switch (Access(context))
        {
            case DashboardAccess.Open or DashboardAccess.Granted:
                return true;
            case DashboardAccess.Disabled:
                await WriteAsync(context, StatusCodes.Status403Forbidden, JsonContentType, s_disabledJson).ConfigureAwait(false);
                return false;
            default:
                context.Response.Headers.WWWAuthenticate = BearerChallenge;
                await WriteAsync(context, StatusCodes.Status401Unauthorized, JsonContentType, s_unauthorizedJson).ConfigureAwait(false);
                return false;
        }
    }

    private static Task ChallengeAsync(HttpContext context, byte[] page)
    {
        context.Response.Headers.WWWAuthenticate = BearerChallenge;
        return WriteAsync(context, StatusCodes.Status401Unauthorized, DashboardAssets.HtmlContentType, page);
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        var response = context.Response;
        ApplySecurityHeaders(response);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static void WriteEvent(PipeWriter writer, DashboardSample sample)
    {
        // id: lets a reconnecting EventSource say where it was; the data is one line of JSON.
        var head = Encoding.ASCII.GetBytes($"id: {sample.Sequence}\nevent: snapshot\ndata: ");
        writer.Write(head);
        writer.Write(sample.Json);
        writer.Write("\n\n"u8);
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.DashboardUnauthorized, LogLevel.Warning, "The dashboard refused a request from {RemoteAddress} with {Reason}; answered 401.")]
        public static partial void Unauthorized(ILogger logger, string? remoteAddress, string reason);

        [LoggerMessage(GatewayEventIds.DashboardDisabled, LogLevel.Warning, "The dashboard was asked for but Cluster:AdminToken is not set; answered 403. Set it to open the dashboard outside Development.")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(GatewayEventIds.DashboardSignedIn, LogLevel.Information, "The dashboard signed in a viewer from {RemoteAddress}.")]
        public static partial void SignedIn(ILogger logger, string? remoteAddress);

        [LoggerMessage(GatewayEventIds.DashboardStreamOpened, LogLevel.Debug, "A dashboard event stream opened from {RemoteAddress} ({Viewers} open).")]
        public static partial void StreamOpened(ILogger logger, string? remoteAddress, int viewers);

        [LoggerMessage(GatewayEventIds.DashboardStreamClosed, LogLevel.Debug, "A dashboard event stream from {RemoteAddress} closed.")]
        public static partial void StreamClosed(ILogger logger, string? remoteAddress);
    }
}
