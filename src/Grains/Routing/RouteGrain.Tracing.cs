using System.Diagnostics;
using System.Globalization;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime.Tracing;

namespace Cluster.Grains.Routing;

/// <summary>
/// The route grain's span (source <see cref="ClusterTracing.GrainsSourceName"/>): <c>handler &lt;METHOD&gt; &lt;pattern&gt;</c>,
/// an internal span around the app's handler — per request for a dynamic response, per render for a cached one — as a
/// child of the call's <c>grain</c> span. Failed when the handler threw or its response is a server error. Without a
/// listener the request path is the untraced one, untouched.
/// </summary>
internal partial class RouteGrain
{
    /// <summary>The route grains' activity source, created once.</summary>
    internal static readonly ActivitySource HandlerSource = new(ClusterTracing.GrainsSourceName);

    private const string HandlerErrorTypeTagName = "error.type";

    private ValueTask<RouteReply> HandleDynamicTraced(RouteInvocation request, CancellationToken cancellationToken)
    {
        var activity = StartHandlerSpan(request.Method);
        if (activity is null)
        {
            return HandleDynamic(request, cancellationToken);
        }

        return HandleDynamicInSpanAsync(activity, request, cancellationToken);
    }

    private async ValueTask<RouteReply> HandleDynamicInSpanAsync(Activity activity, RouteInvocation request, CancellationToken cancellationToken)
    {
        // Current for the handler's flow from here on; an async method's changes to it never reach its caller.
        using (activity)
        {
            var reply = await HandleDynamic(request, cancellationToken);
            EndHandlerSpan(activity, reply.Response.Status, failure: null);
            return reply;
        }
    }

    /// <summary>Starts the handler span as the current activity; null without a listener.</summary>
    private Activity? StartHandlerSpan(string method)
    {
        if (!HandlerSource.HasListeners())
        {
            return null;
        }

        var activity = HandlerSource.StartActivity(string.Concat("handler ", method, " ", _pattern), ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.route", _pattern);
            activity.SetTag("http.request.method", method);
        }

        return activity;
    }

    /// <summary>Records the handler's outcome on its span: an exception, or a server-error status, fails it.</summary>
    private static void EndHandlerSpan(Activity? activity, int status, Exception? failure)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested && status > 0)
        {
            activity.SetTag("http.response.status_code", status);
        }

        string? errorType = failure is not null
            ? failure.GetType().FullName ?? failure.GetType().Name
            : status >= 500 ? status.ToString(CultureInfo.InvariantCulture) : null;
        if (errorType is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, errorType);
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(HandlerErrorTypeTagName, errorType);
            }
        }
    }
}
