using System.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tests.Networking;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Cluster.Runtime.Tracing;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Tracing;

/// <summary>
/// Calls that never cross the wire link too: <c>LocalGrainCallInvoker</c> starts the <c>grain</c> span with the caller's
/// activity as parent, whether the request runs inline or waits in the activation's queue (a first call waits for the
/// activation), and gives the caller its own activity back. Across silos a grain's own calls carry its span on.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class LocalCallTracingTests
{
    private const string TestSourceName = "Cluster.Runtime.Tests.Tracing.Local";

    private static readonly ActivitySource s_test = new(TestSourceName);

    [Fact]
    public async Task InvokeAsync_LocalCallUnderAnActivity_GrainSpanIsItsChild()
    {
        // Arrange
        using var spans = new SpanRecorder(TestSourceName, ClusterTracing.RuntimeSourceName);
        await using var silo = await TestSilo.StartAsync(b => b.AddGrain<TraceGrain>(TraceGrain.Type));
        var grain = silo.GrainFactory.GetGrain(TraceGrain.Type, "fresh");
        var address = silo.Services.GetRequiredService<LocalSiloStatus>().SiloAddress;

        // Act: the first call waits in the queue while the grain activates; the second starts at once.
        Activity? first;
        Activity? second;
        Activity? afterCall;
        Activity caller;
        using (caller = s_test.StartActivity("caller", ActivityKind.Client)!)
        {
            first = await grain.InvokeAsync<TraceRequest, Activity?>(new TraceRequest()).WithTimeout();
            second = await grain.InvokeAsync<TraceRequest, Activity?>(new TraceRequest()).WithTimeout();
            afterCall = Activity.Current;
        }

        // Assert
        foreach (var seen in new[] { first, second })
        {
            Assert.NotNull(seen);
            Assert.Equal("grain trace", seen.OperationName);
            Assert.Same(caller, seen.Parent);
            Assert.Equal(caller.TraceId, seen.TraceId);
            Assert.Equal(address.ToString(), seen.GetTagItem(ClusterTracing.SiloTagName));
        }

        Assert.NotSame(first, second);
        Assert.Same(caller, afterCall);
        Assert.Equal(address.ToString(), caller.GetTagItem(ClusterTracing.SiloTagName));
        await spans.WaitForAsync(a => ReferenceEquals(a, second), TestTimeouts.Default);
        Assert.True(first!.IsStopped);
    }

    [Fact]
    public async Task InvokeAsync_GrainCallsAGrainOnAnotherSilo_EveryHopIsAChildOfThePrevious()
    {
        // Arrange: a (first silo) calls b (second silo) inside a call-chain scope, which calls c (first silo).
        using var spans = new SpanRecorder(TestSourceName, ClusterTracing.RuntimeSourceName);
        await using var silos = await TwoSilos.StartAsync(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        var a = silos.KeyOwnedBy(silos.First, HopGrain.Type, "a");
        var b = silos.KeyOwnedBy(silos.Second, HopGrain.Type, "b");
        var c = silos.KeyOwnedBy(silos.First, HopGrain.Type, "c");

        // Act
        string answer;
        Activity caller;
        using (caller = s_test.StartActivity("caller")!)
        {
            answer = await silos.First.GrainFactory.GetGrain(HopGrain.Type, a)
                .InvokeAsync<HopRequest, string>(new HopRequest(b + "," + c, HopMode.InScope)).WithTimeout();
        }

        // Assert: one trace, each hop's grain span the child of the previous one, each on the silo that ran it.
        Assert.Equal(string.Join('>', a, b, c), answer);
        var spanA = await spans.WaitForAsync(s => IsHop(s, caller, a), TestTimeouts.Default);
        var spanB = await spans.WaitForAsync(s => IsHop(s, caller, b), TestTimeouts.Default);
        var spanC = await spans.WaitForAsync(s => IsHop(s, caller, c), TestTimeouts.Default);
        Assert.Equal(caller.SpanId, spanA.ParentSpanId);
        Assert.Equal(spanA.SpanId, spanB.ParentSpanId);
        Assert.True(spanB.HasRemoteParent);
        Assert.Equal(spanB.SpanId, spanC.ParentSpanId);
        var first = TwoSilos.AddressOf(silos.First).ToString();
        var second = TwoSilos.AddressOf(silos.Second).ToString();
        Assert.Equal(first, spanA.GetTagItem(ClusterTracing.SiloTagName));
        Assert.Equal(second, spanB.GetTagItem(ClusterTracing.SiloTagName));
        Assert.Equal(first, spanC.GetTagItem(ClusterTracing.SiloTagName));
    }

    private static bool IsHop(Activity span, Activity caller, string key)
        => span.OperationName == "grain hop" && span.TraceId == caller.TraceId && (string?)span.GetTagItem(ClusterTracing.GrainKeyTagName) == key;
}
