using System.Collections.Concurrent;
using System.Diagnostics;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Tests.Networking;

namespace Cluster.Runtime.Tests.Tracing;

/// <summary>A silo's handler for the transport tests that notes the activity current when each request runs, then echoes.</summary>
internal sealed class RecordingInboundHandler : IInboundCallHandler
{
    public ConcurrentQueue<TraceProbe> Seen { get; } = new();

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, InboundCallInfo info, CancellationToken cancellationToken)
    {
        Seen.Enqueue(new TraceProbe(Activity.Current));
        var echo = (EchoRequest)(object)request!;
        return ValueTask.FromResult((TResponse)(object)(grainId.Key + ":" + echo.Text));
    }

    public void OnMembershipChanged(int version)
    {
    }
}
