using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Serialization;
using Cluster.Runtime.Tests.Networking;
using Cluster.Runtime.Tests.TestInfrastructure;
using Cluster.Runtime.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Tests.Tracing;

/// <summary>
/// The caller's trace context on the cluster protocol (Networking/README.md, <c>TracedRequest</c>): it survives a real
/// loopback call and parents the silo's <c>grain</c> span; without a current activity the frame is the short form; a
/// malformed context closes the connection like any malformed frame.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TraceContextWireTests
{
    private const string TestSourceName = "Cluster.Runtime.Tests.Tracing";
    private const int MalformedFrameEventId = 4604;
    private const byte TracedRequestKind = 12;

    private static readonly ActivitySource s_test = new(TestSourceName);

    [Fact]
    public async Task InvokeAsync_UnderAnActivity_SiloSpanIsItsChildAcrossTheWire()
    {
        // Arrange
        using var spans = new SpanRecorder(TestSourceName, ClusterTracing.RuntimeSourceName);
        var handler = new RecordingInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(null, services: s => s.AddSingleton<IInboundCallHandler>(handler));
        await using var client = TransportHost.CreateClient();

        // Act
        string answer;
        ActivityTraceId traceId;
        ActivitySpanId callerSpanId;
        using (var caller = s_test.StartActivity("caller", ActivityKind.Client)!)
        {
            traceId = caller.TraceId;
            callerSpanId = caller.SpanId;
            answer = await client.CallAsync(silo.Silo, "echo", "traced", key: "k1").WithTimeout();
        }

        // Assert: the handler ran inside the silo's grain span, whose parent is the caller's span on the other side.
        Assert.Equal("k1:traced", answer);
        var seen = Assert.Single(handler.Seen).Activity;
        Assert.NotNull(seen);
        Assert.Equal("grain echo", seen.OperationName);
        Assert.Equal(ActivityKind.Server, seen.Kind);
        Assert.Equal(traceId, seen.TraceId);
        Assert.Equal(callerSpanId, seen.ParentSpanId);
        Assert.True(seen.HasRemoteParent);
        Assert.Equal(silo.Silo.ToString(), seen.GetTagItem(ClusterTracing.SiloTagName));
        Assert.Equal("k1", seen.GetTagItem(ClusterTracing.GrainKeyTagName));
        var stopped = await spans.WaitForAsync(a => a.OperationName == "grain echo" && a.TraceId == traceId, TestTimeouts.Default);
        Assert.Equal(ActivityStatusCode.Unset, stopped.Status);

        // The caller's client span names the silo the call was sent to.
        var callerSpan = await spans.WaitForAsync(a => a.OperationName == "caller" && a.TraceId == traceId, TestTimeouts.Default);
        Assert.Equal(silo.Silo.ToString(), callerSpan.GetTagItem(ClusterTracing.SiloTagName));
    }

    [Fact]
    public async Task InvokeAsync_HandlerThrows_SiloSpanFailsWithTheExceptionType()
    {
        using var spans = new SpanRecorder(TestSourceName, ClusterTracing.RuntimeSourceName);
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();

        ActivityTraceId traceId;
        using (var caller = s_test.StartActivity("caller", ActivityKind.Client)!)
        {
            traceId = caller.TraceId;
            await Assert.ThrowsAsync<RemoteGrainException>(() => client.CallAsync(silo.Silo, "throw", "boom").WithTimeout());
        }

        var span = await spans.WaitForAsync(a => a.OperationName == "grain echo" && a.TraceId == traceId, TestTimeouts.Default);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task InvokeAsync_WithoutAnActivity_SendsTheShortRequestForm()
    {
        // Arrange: a raw silo that records what the transport writes.
        using var spans = new SpanRecorder(TestSourceName, ClusterTracing.RuntimeSourceName);
        await using var raw = RawListener.Start();
        await using var client = TransportHost.CreateClient();
        Assert.Null(Activity.Current);

        // Act: one call without a current activity, then the same call under one.
        var untraced = client.CallAsync(raw.Silo, "echo", "same", key: "k").AsTask();
        await raw.AcceptAsync();
        var plain = await raw.ReadFrameOfKindAsync(WireFrames.Request, TestTimeouts.Default);
        byte[]? traced;
        ActivityTraceId traceId;
        ActivitySpanId spanId;
        using (var caller = s_test.StartActivity("caller")!)
        {
            traceId = caller.TraceId;
            spanId = caller.SpanId;
            _ = client.CallAsync(raw.Silo, "echo", "same", key: "k").AsTask();
            traced = await raw.ReadFrameOfKindAsync(TracedRequestKind, TestTimeouts.Default);
        }

        // Assert: the untraced request is the plain form; the traced one differs by exactly the options byte and the
        // 25-byte context, which holds the caller's ids as they are.
        Assert.NotNull(plain);
        Assert.NotNull(traced);
        Assert.Equal(WireFrames.Request, plain[0]);
        Assert.Equal(1 + WireTraceContext.Size, traced.Length - plain.Length);
        var context = ContextOf(traced, out var options, out var callChainId);
        Assert.Equal(0, options);
        Assert.Equal(0, callChainId);
        Assert.Equal(traceId, context.TraceId);
        Assert.Equal(spanId, context.SpanId);
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        _ = untraced;
    }

    [Fact]
    public async Task InvokeAsync_TracedInACallChain_CarriesTheChainIdAndTheContext()
    {
        using var spans = new SpanRecorder(TestSourceName, ClusterTracing.RuntimeSourceName);
        await using var raw = RawListener.Start();
        await using var client = TransportHost.CreateClient();

        byte[]? traced;
        ActivityTraceId traceId;
        using (var caller = s_test.StartActivity("caller")!)
        using (RequestContext.AllowCallChainReentrancy())
        {
            traceId = caller.TraceId;
            _ = client.CallAsync(raw.Silo, "echo", "chained").AsTask();
            await raw.AcceptAsync();
            traced = await raw.ReadFrameOfKindAsync(TracedRequestKind, TestTimeouts.Default);
        }

        Assert.NotNull(traced);
        var context = ContextOf(traced, out var options, out var callChainId);
        Assert.Equal((byte)TracedRequestOptions.CallChain, options);
        Assert.NotEqual(0, callChainId);
        Assert.Equal(traceId, context.TraceId);
    }

    [Theory]
    [InlineData("zero-trace-id")]
    [InlineData("zero-span-id")]
    [InlineData("reserved-option-bit")]
    [InlineData("zero-call-chain-id")]
    [InlineData("truncated-context")]
    public async Task TracedRequest_Malformed_ClosesOnlyThatConnection(string kind)
    {
        // Arrange
        using var spans = new SpanRecorder(TestSourceName, ClusterTracing.RuntimeSourceName);
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var peer = await RawPeer.ConnectAuthenticatedAsync(silo);

        // Act
        await peer.SendAsync(WireFrames.Frame(TracedRequestBody(silo.Silo.Generation, kind)));

        // Assert: that connection closes as for any malformed frame; the silo still serves a well-formed traced request.
        Assert.True(await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "The listener did not close the connection.");
        Assert.True(silo.Logs.Has(LogLevel.Warning, MalformedFrameEventId), "The malformed frame was not logged as a warning.");
        Assert.Equal(0, handler.Invocations);
        await using var good = await RawPeer.ConnectAuthenticatedAsync(silo);
        await good.SendAsync(WireFrames.Frame(TracedRequestBody(silo.Silo.Generation, "valid")));
        var answer = await good.ReadFrameAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(answer);
        Assert.Equal(WireFrames.Response, answer[0]);
        Assert.Equal(0, answer[9]);
        Assert.Equal(1, handler.Invocations);
    }

    // The context of a TracedRequest body, and its options and call-chain id (0 when none), read as README.md says.
    private static ActivityContext ContextOf(byte[] body, out byte options, out long callChainId)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(body));
        Assert.Equal(TracedRequestKind, reader.ReadByte());
        reader.ReadInt64();
        reader.ReadInt32();
        reader.ReadInt32();
        reader.ReadVarUInt32();
        options = reader.ReadByte();
        callChainId = (options & 1) != 0 ? reader.ReadInt64() : 0;
        var offset = body.Length - (int)reader.Remaining;
        var ids = body.AsSpan(offset, WireTraceContext.Size);
        return new ActivityContext(
            ActivityTraceId.CreateFromBytes(ids[..16]),
            ActivitySpanId.CreateFromBytes(ids.Slice(16, 8)),
            (ActivityTraceFlags)ids[24]);
    }

    // A TracedRequest for the echo handler, valid or broken as kind says.
    private static byte[] TracedRequestBody(int generation, string kind)
    {
        var body = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(body);
        writer.WriteByte(TracedRequestKind);
        writer.WriteInt64(1);
        writer.WriteInt32(generation);
        writer.WriteInt32(1);
        writer.WriteVarUInt32(30_000);
        writer.WriteByte(kind switch
        {
            "reserved-option-bit" => 0x02,
            "zero-call-chain-id" => 0x01,
            _ => 0x00,
        });
        if (kind == "zero-call-chain-id")
        {
            writer.WriteInt64(0);
        }

        Span<byte> context = stackalloc byte[WireTraceContext.Size];
        ActivityTraceId.CreateRandom().CopyTo(context[..16]);
        ActivitySpanId.CreateRandom().CopyTo(context.Slice(16, 8));
        context[24] = 1;
        if (kind == "zero-trace-id")
        {
            context[..16].Clear();
        }
        else if (kind == "zero-span-id")
        {
            context.Slice(16, 8).Clear();
        }

        if (kind == "truncated-context")
        {
            // The frame ends inside the context.
            writer.WriteRaw(context[..10]);
            return body.WrittenSpan.ToArray();
        }

        writer.WriteRaw(context);
        writer.WriteString(TransportHost.MessageName);
        writer.WriteString("echo");
        writer.WriteString("k");
        EchoRequestCodec.Instance.Write(new EchoRequest("echo", "raw"), body);
        return body.WrittenSpan.ToArray();
    }
}
