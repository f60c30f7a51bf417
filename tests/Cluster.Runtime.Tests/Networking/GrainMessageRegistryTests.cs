using System.Buffers;
using System.Text;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Networking;

public sealed class GrainMessageRegistryTests
{
    [Fact]
    public void AddGrainMessage_SameRegistrationTwice_RegisteredOnce()
    {
        var services = new ServiceCollection();

        services.AddGrainMessage("echo.v1", EchoRequestCodec.Instance, StringCodec.Instance);
        services.AddGrainMessage("echo.v1", EchoRequestCodec.Instance, StringCodec.Instance);

        Assert.Single(services, d => d.ServiceType == typeof(GrainMessageDescriptor));
    }

    [Fact]
    public void AddGrainMessage_NameTakenByOtherTypes_Throws()
    {
        var services = new ServiceCollection().AddGrainMessage("echo.v1", EchoRequestCodec.Instance, StringCodec.Instance);

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddGrainMessage("echo.v1", StringCodec.Instance, StringCodec.Instance));

        Assert.Contains("echo.v1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddGrainMessage_TypesRegisteredUnderAnotherName_Throws()
    {
        var services = new ServiceCollection().AddGrainMessage("echo.v1", EchoRequestCodec.Instance, StringCodec.Instance);

        Assert.Throws<InvalidOperationException>(() => services.AddGrainMessage("echo.v2", EchoRequestCodec.Instance, StringCodec.Instance));
    }

    [Fact]
    public void Registry_DuplicateNames_Throws()
    {
        GrainMessageDescriptor[] descriptors =
        [
            new GrainMessageDescriptor<EchoRequest, string>("same", EchoRequestCodec.Instance, StringCodec.Instance),
            new GrainMessageDescriptor<string, string>("same", StringCodec.Instance, StringCodec.Instance),
        ];

        Assert.Throws<InvalidOperationException>(() => new GrainMessageRegistry(descriptors));
    }

    [Fact]
    public void Get_ByTypes_ReturnsTheDescriptorOfThisRegistry()
    {
        var first = new GrainMessageRegistry([new GrainMessageDescriptor<EchoRequest, string>("one", EchoRequestCodec.Instance, StringCodec.Instance)]);
        var second = new GrainMessageRegistry([new GrainMessageDescriptor<EchoRequest, string>("two", EchoRequestCodec.Instance, StringCodec.Instance)]);

        // The per-type cache must not leak one registry's answer into another.
        Assert.Equal("one", first.Get<EchoRequest, string>().Name);
        Assert.Equal("two", second.Get<EchoRequest, string>().Name);
        Assert.Equal("one", first.Get<EchoRequest, string>().Name);
        Assert.Throws<InvalidOperationException>(() => first.Get<string, string>());
    }

    [Fact]
    public void Find_ByUtf8Name_SingleAndMultiSegment()
    {
        var sut = new GrainMessageRegistry(
        [
            new GrainMessageDescriptor<EchoRequest, string>("route.v1", EchoRequestCodec.Instance, StringCodec.Instance),
            new GrainMessageDescriptor<string, string>("ping.v1", StringCodec.Instance, StringCodec.Instance),
        ]);

        Assert.Equal("ping.v1", sut.Find(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("ping.v1")))?.Name);
        Assert.Equal("route.v1", sut.Find(Split(Encoding.UTF8.GetBytes("route.v1"), 3))?.Name);
        Assert.Null(sut.Find(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("route.v2"))));
        Assert.Null(sut.Find(new ReadOnlySequence<byte>([0xFF, 0xFE])));
    }

    private static ReadOnlySequence<byte> Split(byte[] bytes, int at)
    {
        var first = new Segment(bytes.AsMemory(0, at), 0);
        var last = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
