using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tracing;

/// <summary>
/// The runtime's spans (source <see cref="ClusterTracing.RuntimeSourceName"/>): one <c>grain &lt;type&gt;</c> server span
/// per grain call a silo runs, parented to the caller's span — read off the wire for a remote call, taken from the
/// caller's flow for a local one. Callers check <see cref="IsEnabled"/> first: without a listener nothing here runs,
/// so nothing is created or allocated.
/// </summary>
internal static class RuntimeTracing
{
    /// <summary>The runtime's activity source, created once.</summary>
    public static readonly ActivitySource Source = new(ClusterTracing.RuntimeSourceName);

    /// <summary>The OpenTelemetry attribute naming what kind of failure ended a span.</summary>
    public const string ErrorTypeTagName = "error.type";

    // Span names and silo names, built once each instead of per traced call. Grain types are few; silo addresses are
    // kept as long as the address object lives.
    private static readonly ConcurrentDictionary<string, string> s_grainSpanNames = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<SiloAddress, string> s_siloNames = new();

    /// <summary>Whether anyone listens to the runtime's spans (a field read).</summary>
    public static bool IsEnabled => Source.HasListeners();

    /// <summary>
    /// The activity whose context a grain call made now carries to its silo: <see cref="Activity.Current"/> when it has a
    /// W3C id (the only format the wire carries), else null. Read when the call is created, on the caller's flow.
    /// </summary>
    public static Activity? CaptureParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current : null;

    /// <summary>
    /// Records on the caller's client span (the gateway's <c>dispatch</c>) which silo its grain call was sent to. Only a
    /// client span that records is tagged: the span a grain runs in is the callee's, not a call's. A retry sent elsewhere
    /// overwrites the tag, so it names the silo of the last attempt.
    /// </summary>
    public static void RecordTarget(Activity? caller, SiloAddress silo)
    {
        if (caller is { Kind: ActivityKind.Client, IsAllDataRequested: true })
        {
            caller.SetTag(ClusterTracing.SiloTagName, SiloName(silo));
        }
    }

    /// <summary>
    /// Starts the <c>grain &lt;type&gt;</c> server span of a call this silo runs, as the new <see cref="Activity.Current"/>;
    /// null without a listener (or when the listener does not sample it).
    /// </summary>
    /// <param name="grainId">The grain called.</param>
    /// <param name="silo">This silo (null in a process that is not one yet).</param>
    /// <param name="parent">The caller's context from the wire; default to parent the span to <see cref="Activity.Current"/>.</param>
    public static Activity? StartGrainSpan(GrainId grainId, SiloAddress? silo, in ActivityContext parent)
    {
        var activity = Source.StartActivity(GrainSpanName(grainId.Type), ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            if (silo is not null)
            {
                activity.SetTag(ClusterTracing.SiloTagName, SiloName(silo));
            }

            activity.SetTag(ClusterTracing.GrainTypeTagName, grainId.Type.Name);
            activity.SetTag(ClusterTracing.GrainKeyTagName, grainId.Key);
        }

        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with the kind of <paramref name="exception"/> (never its message).</summary>
    public static void Fail(Activity activity, Exception exception) => Fail(activity, exception.GetType().FullName ?? exception.GetType().Name);

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="errorType"/>.</summary>
    public static void Fail(Activity activity, string errorType)
    {
        activity.SetStatus(ActivityStatusCode.Error, errorType);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(ErrorTypeTagName, errorType);
        }
    }

    /// <summary>A silo's address as span tags show it (<c>host:port@generation</c>), formatted once per address.</summary>
    public static string SiloName(SiloAddress silo)
        => s_siloNames.TryGetValue(silo, out var name) ? name : s_siloNames.GetValue(silo, static s => s.ToString());

    private static string GrainSpanName(GrainType grainType)
    {
        var type = grainType.Name ?? string.Empty;
        return s_grainSpanNames.TryGetValue(type, out var name) ? name : s_grainSpanNames.GetOrAdd(type, static t => "grain " + t);
    }
}
