using System.Collections.Concurrent;
using System.Diagnostics;
using Cluster.Routing;
using Cluster.Runtime.Tracing;

namespace Cluster.Gateway.Diagnostics;

/// <summary>
/// The gateway's spans (source <see cref="ClusterTracing.GatewaySourceName"/>), children of the request's root — the
/// ASP.NET Core hosting activity when the host made one, else the gateway's own server span: <c>middleware</c> while the
/// app's middleware runs, and the client span <c>dispatch &lt;route pattern&gt;</c> around the grain call, on which the
/// runtime records the silo it sent the call to (<see cref="ClusterTracing.SiloTagName"/>) and whose context the call
/// carries to that silo. Every method returns null without a listener, before building anything.
/// </summary>
internal static class GatewayTracing
{
    /// <summary>The gateway's activity source, created once.</summary>
    public static readonly ActivitySource Source = new(ClusterTracing.GatewaySourceName);

    /// <summary>The name of the span around the app's middleware.</summary>
    public const string MiddlewareSpanName = "middleware";

    /// <summary>The tag of the middleware span that says what the middleware decided (<c>next</c>, <c>rewrite</c>, …).</summary>
    public const string MiddlewareOutcomeTagName = "cluster.middleware.outcome";

    /// <summary>The OpenTelemetry attribute naming what kind of failure ended a span.</summary>
    public const string ErrorTypeTagName = "error.type";

    private const string RouteTagName = "http.route";
    private const string MethodTagName = "http.request.method";
    private const string PathTagName = "url.path";
    private const string StatusCodeTagName = "http.response.status_code";

    private static readonly ConcurrentDictionary<string, string> s_dispatchNames = new(StringComparer.Ordinal);

    /// <summary>Whether anyone listens to the gateway's spans (a field read).</summary>
    public static bool IsEnabled => Source.HasListeners();

    /// <summary>
    /// The gateway's own server span for a request that arrived without one (no hosting activity: a host without
    /// diagnostics, or the handler called directly). Null without a listener.
    /// </summary>
    public static Activity? StartRequest(HttpContext context)
    {
        var request = context.Request;
        var activity = Source.StartActivity(request.Method, ActivityKind.Server);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MethodTagName, request.Method);
            activity.SetTag(PathTagName, request.Path.Value);
        }

        return activity;
    }

    /// <summary>Ends the gateway's own server span with the status the client got.</summary>
    public static void EndRequest(Activity activity, int statusCode, Exception? exception = null)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(StatusCodeTagName, statusCode);
        }

        if (exception is not null)
        {
            Fail(activity, exception.GetType().FullName ?? exception.GetType().Name);
        }
        else if (statusCode >= StatusCodes.Status500InternalServerError)
        {
            Fail(activity, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        activity.Stop();
    }

    /// <summary>Notes the matched route on the request's root span (when it records), as OpenTelemetry's <c>http.route</c>.</summary>
    public static void RouteMatched(string pattern)
    {
        if (Activity.Current is { IsAllDataRequested: true } root)
        {
            root.SetTag(RouteTagName, pattern);
        }
    }

    /// <summary>Starts the <c>middleware</c> span as the current activity; null without a listener.</summary>
    public static Activity? StartMiddleware() => IsEnabled ? Source.StartActivity(MiddlewareSpanName, ActivityKind.Internal) : null;

    /// <summary>Ends the <c>middleware</c> span with what the middleware decided.</summary>
    public static void EndMiddleware(Activity? activity, MiddlewareResultKind? outcome)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested && outcome is { } kind)
        {
            activity.SetTag(MiddlewareOutcomeTagName, kind switch
            {
                MiddlewareResultKind.Next => "next",
                MiddlewareResultKind.Rewrite => "rewrite",
                MiddlewareResultKind.Redirect => "redirect",
                MiddlewareResultKind.Respond => "respond",
                _ => "unknown",
            });
        }

        activity.Stop();
    }

    /// <summary>Ends the <c>middleware</c> span as failed.</summary>
    public static void EndMiddleware(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        Fail(activity, exception.GetType().FullName ?? exception.GetType().Name);
        activity.Stop();
    }

    /// <summary>
    /// Starts the client span <c>dispatch &lt;pattern&gt;</c> as the current activity, so the grain call made under it
    /// carries its context and tags it with the silo; null without a listener.
    /// </summary>
    public static Activity? StartDispatch(string pattern)
    {
        if (!IsEnabled)
        {
            return null;
        }

        var name = s_dispatchNames.TryGetValue(pattern, out var cached) ? cached : s_dispatchNames.GetOrAdd(pattern, static p => "dispatch " + p);
        var activity = Source.StartActivity(name, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RouteTagName, pattern);
        }

        return activity;
    }

    /// <summary>The silo the runtime recorded on a <c>dispatch</c> span, if any.</summary>
    public static string? SiloOf(Activity? dispatch) => dispatch?.GetTagItem(ClusterTracing.SiloTagName) as string;

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="errorType"/> (a kind, never a message).</summary>
    public static void Fail(Activity activity, string errorType)
    {
        activity.SetStatus(ActivityStatusCode.Error, errorType);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(ErrorTypeTagName, errorType);
        }
    }

    /// <summary>The W3C trace id of <paramref name="activity"/> (32 hex digits), or null without one.</summary>
    public static string? TraceIdOf(Activity? activity)
        => activity is { IdFormat: ActivityIdFormat.W3C } ? activity.TraceId.ToHexString() : null;
}
