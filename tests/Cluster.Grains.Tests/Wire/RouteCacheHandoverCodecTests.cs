using System.Buffers;
using Cluster.Grains.Caching;
using Cluster.Grains.Wire;
using Cluster.Routing;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Tests.Wire;

public sealed class RouteCacheHandoverCodecTests
{
    private static readonly IWireCodec<RouteCacheHandover> s_handover = RouteCacheHandoverCodec.Instance;
    private static readonly IWireCodec<RouteCacheHandoverResult> s_result = RouteCacheHandoverCodec.Instance;

    [Fact]
    public void Handover_RoundTrip_KeepsEveryField()
    {
        var handover = Sample();

        var read = s_handover.Read(new ReadOnlySequence<byte>(WireSamples.Encode(s_handover, handover)));

        AssertEqual(handover, read);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void Handover_ReadFromASequenceInPieces_ReadsTheSame(int pieceLength)
    {
        var handover = Sample();

        var read = s_handover.Read(Split(WireSamples.Encode(s_handover, handover), pieceLength));

        AssertEqual(handover, read);
    }

    [Fact]
    public void Handover_NoEntries_RoundTrips()
    {
        var bytes = WireSamples.Encode(s_handover, new RouteCacheHandover { Entries = [] });

        Assert.Equal([1, 0], bytes);
        Assert.Empty(s_handover.Read(new ReadOnlySequence<byte>(bytes)).Entries);
    }

    [Fact]
    public void Handover_WritesTheVersion1Layout()
    {
        var response = RouteResponse.Empty(204);
        var responseBytes = WireSamples.Encode(RouteResponseCodec.Instance, response);
        var entry = new RouteCacheHandoverEntry { Path = "/a", Response = response, Version = 2, Age = TimeSpan.FromTicks(3), StaleIn = TimeSpan.FromTicks(-1) };

        var bytes = WireSamples.Encode(s_handover, new RouteCacheHandover { Entries = [entry] });

        byte[] expected =
        [
            1, 1, 2, (byte)'/', (byte)'a',
            2, 0, 0, 0, 0, 0, 0, 0,
            3, 0, 0, 0, 0, 0, 0, 0,
            1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            (byte)responseBytes.Length, .. responseBytes,
        ];
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(300)]
    [InlineData(int.MaxValue)]
    public void Result_RoundTrip(int installed)
    {
        var bytes = WireSamples.Encode(s_result, new RouteCacheHandoverResult { Installed = installed });

        Assert.Equal(installed, s_result.Read(new ReadOnlySequence<byte>(bytes)).Installed);
    }

    [Fact]
    public void Result_WritesTheVersion1Layout()
    {
        Assert.Equal([1, 0xAC, 0x02], WireSamples.Encode(s_result, new RouteCacheHandoverResult { Installed = 300 }));
    }

    [Fact]
    public void Handover_EveryTruncation_ThrowsInvalidData()
    {
        var bytes = WireSamples.Encode(s_handover, Sample());

        for (var length = 0; length < bytes.Length; length++)
        {
            AssertInvalid(s_handover, bytes.AsMemory(0, length));
        }
    }

    [Fact]
    public void Result_EveryTruncation_ThrowsInvalidData()
    {
        var bytes = WireSamples.Encode(s_result, new RouteCacheHandoverResult { Installed = 300 });

        for (var length = 0; length < bytes.Length; length++)
        {
            AssertInvalid(s_result, bytes.AsMemory(0, length));
        }
    }

    [Fact]
    public void Read_TrailingByte_ThrowsInvalidData()
    {
        AssertInvalid(s_handover, (byte[])[.. WireSamples.Encode(s_handover, Sample()), 0]);
        AssertInvalid(s_result, (byte[])[.. WireSamples.Encode(s_result, new RouteCacheHandoverResult { Installed = 1 }), 0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void Read_UnknownVersion_ThrowsInvalidDataNamingIt(byte version)
    {
        var handover = WireSamples.Encode(s_handover, Sample());
        var result = WireSamples.Encode(s_result, new RouteCacheHandoverResult { Installed = 1 });
        handover[0] = version;
        result[0] = version;

        Assert.Contains($"version {version}", AssertInvalid(s_handover, handover).Message, StringComparison.Ordinal);
        Assert.Contains($"version {version}", AssertInvalid(s_result, result).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadHandover_CountTheBodyCannotHold_ThrowsBeforeAllocating()
    {
        // A hundred thousand entries claimed in five bytes.
        var bytes = Frame(w => w.WriteVarUInt32(RouteCacheHandoverCodec.MaxEntries));

        var before = GC.GetAllocatedBytesForCurrentThread();
        AssertInvalid(s_handover, bytes);

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024, "The reader sized something by the claimed count.");
    }

    [Fact]
    public void ReadHandover_CountOverTheLimit_ThrowsInvalidData()
    {
        AssertInvalid(s_handover, Frame(w => w.WriteVarUInt32(RouteCacheHandoverCodec.MaxEntries + 1)));
    }

    [Theory]
    [InlineData(-1L, 0L, 0, 0L)] // negative version
    [InlineData(long.MinValue, 0L, 0, 0L)]
    [InlineData(1L, -1L, 0, 0L)] // negative age
    [InlineData(1L, long.MaxValue, 0, 0L)] // age over the limit
    [InlineData(1L, 0L, 2, 0L)] // unknown stale flag
    [InlineData(1L, 0L, 0xFF, 0L)]
    [InlineData(1L, 0L, 1, long.MaxValue)] // stale time over the limit
    [InlineData(1L, 0L, 1, long.MinValue)]
    public void ReadHandover_FieldOutOfRange_ThrowsInvalidData(long version, long ageTicks, byte staleFlag, long staleTicks)
    {
        var response = WireSamples.Encode(RouteResponseCodec.Instance, RouteResponse.Text("x"));
        var bytes = Frame(w =>
        {
            w.WriteVarUInt32(1);
            w.WriteString("/a");
            w.WriteInt64(version);
            w.WriteInt64(ageTicks);
            w.WriteByte(staleFlag);
            if (staleFlag == 1)
            {
                w.WriteInt64(staleTicks);
            }

            w.WriteBytes(response);
        });

        AssertInvalid(s_handover, bytes);
    }

    [Fact]
    public void ReadHandover_ResponseLengthPastTheEnd_ThrowsInvalidData()
    {
        var bytes = Frame(w =>
        {
            w.WriteVarUInt32(1);
            w.WriteString("/a");
            w.WriteInt64(1);
            w.WriteInt64(0);
            w.WriteByte(0);
            w.WriteVarUInt32(1_000);
            w.WriteRaw([1, 200, 1, 0, 0, 0]);
        });

        AssertInvalid(s_handover, bytes);
    }

    [Theory]
    [InlineData(new byte[] { })] // empty response
    [InlineData(new byte[] { 2, 200, 1, 0, 0, 0 })] // unknown response version
    [InlineData(new byte[] { 1, 0, 0, 0, 0 })] // status 0
    [InlineData(new byte[] { 1, 200, 1, 0, 0, 0, 0 })] // a byte after the response, inside its length
    public void ReadHandover_MalformedResponse_ThrowsInvalidData(byte[] response)
    {
        var bytes = Frame(w =>
        {
            w.WriteVarUInt32(1);
            w.WriteString("/a");
            w.WriteInt64(1);
            w.WriteInt64(0);
            w.WriteByte(0);
            w.WriteBytes(response);
        });

        AssertInvalid(s_handover, bytes);
    }

    [Fact]
    public void ReadHandover_ResponseThatEndsWhereTheNextEntryBegins_DoesNotReadIntoIt()
    {
        // Two entries: the first response's length covers its bytes only, so its body cannot swallow the second entry.
        var handover = new RouteCacheHandover
        {
            Entries =
            [
                new RouteCacheHandoverEntry { Path = "/a", Response = RouteResponse.Text("first"), Version = 1, Age = TimeSpan.Zero, StaleIn = null },
                new RouteCacheHandoverEntry { Path = "/b", Response = RouteResponse.Text("second"), Version = 2, Age = TimeSpan.Zero, StaleIn = null },
            ],
        };

        var read = s_handover.Read(new ReadOnlySequence<byte>(WireSamples.Encode(s_handover, handover)));

        Assert.Equal("first", System.Text.Encoding.UTF8.GetString(read.Entries[0].Response.Body.Span));
        Assert.Equal("/b", read.Entries[1].Path);
    }

    [Fact]
    public void ReadResult_CountOverIntMax_ThrowsInvalidData()
    {
        AssertInvalid(s_result, Frame(w => w.WriteVarUInt32(uint.MaxValue)));
    }

    [Fact]
    public void WriteHandover_ValuesTheReaderWouldRefuse_ThrowArgumentException()
    {
        var ok = new RouteCacheHandoverEntry { Path = "/a", Response = RouteResponse.Text("x"), Version = 1, Age = TimeSpan.Zero, StaleIn = null };
        RouteCacheHandoverEntry[] bad =
        [
            new() { Path = "/a", Response = ok.Response, Version = -1, Age = TimeSpan.Zero, StaleIn = null },
            new() { Path = "/a", Response = ok.Response, Version = 1, Age = TimeSpan.FromTicks(-1), StaleIn = null },
            new() { Path = "/a", Response = ok.Response, Version = 1, Age = RouteCacheHandoverEntry.MaxSpan + TimeSpan.FromTicks(1), StaleIn = null },
            new() { Path = "/a", Response = ok.Response, Version = 1, Age = TimeSpan.Zero, StaleIn = -RouteCacheHandoverEntry.MaxSpan - TimeSpan.FromTicks(1) },
            new() { Path = "/a", Response = ok.Response, Version = 1, Age = TimeSpan.Zero, StaleIn = TimeSpan.MaxValue },
            new() { Path = null!, Response = ok.Response, Version = 1, Age = TimeSpan.Zero, StaleIn = null },
            new() { Path = "/a", Response = null!, Version = 1, Age = TimeSpan.Zero, StaleIn = null },
            null!,
        ];

        foreach (var entry in bad)
        {
            Assert.ThrowsAny<ArgumentException>(() => WireSamples.Encode(s_handover, new RouteCacheHandover { Entries = [ok, entry] }));
        }

        Assert.ThrowsAny<ArgumentException>(() => WireSamples.Encode(s_result, new RouteCacheHandoverResult { Installed = -1 }));
    }

    [Fact]
    public void WriteHandover_MoreEntriesThanTheLimit_ThrowsArgumentException()
    {
        var entry = new RouteCacheHandoverEntry { Path = "/a", Response = RouteResponse.Text("x"), Version = 1, Age = TimeSpan.Zero, StaleIn = null };
        var entries = Enumerable.Repeat(entry, RouteCacheHandoverCodec.MaxEntries + 1).ToArray();

        var error = Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_handover, new RouteCacheHandover { Entries = entries }));

        Assert.Contains($"{RouteCacheHandoverCodec.MaxEntries}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteHandover_LimitValues_AreReadBack()
    {
        var response = RouteResponse.Text("x");
        var handover = new RouteCacheHandover
        {
            Entries =
            [
                new RouteCacheHandoverEntry { Path = "/a", Response = response, Version = long.MaxValue, Age = RouteCacheHandoverEntry.MaxSpan, StaleIn = -RouteCacheHandoverEntry.MaxSpan },
                new RouteCacheHandoverEntry { Path = "", Response = response, Version = 0, Age = TimeSpan.Zero, StaleIn = RouteCacheHandoverEntry.MaxSpan },
            ],
        };

        AssertEqual(handover, s_handover.Read(new ReadOnlySequence<byte>(WireSamples.Encode(s_handover, handover))));
    }

    private static RouteCacheHandover Sample() => new()
    {
        Entries =
        [
            new RouteCacheHandoverEntry
            {
                Path = "/blog/caf%C3%A9",
                Response = WireSamples.TypicalJson().WithHeader("cache-control", "s-maxage=60, stale-while-revalidate=31535940"),
                Version = 638_000_000_000_000_001,
                Age = TimeSpan.FromSeconds(12.5),
                StaleIn = TimeSpan.FromSeconds(47.5),
            },
            new RouteCacheHandoverEntry
            {
                Path = "/blog/old",
                Response = RouteResponse.Text("stale one"),
                Version = 7,
                Age = TimeSpan.FromMinutes(3),
                StaleIn = TimeSpan.FromSeconds(-120),
            },
            new RouteCacheHandoverEntry
            {
                Path = "/about",
                Response = RouteResponse.NotFound(),
                Version = 0,
                Age = TimeSpan.FromDays(2),
                StaleIn = null,
            },
        ],
    };

    private static void AssertEqual(RouteCacheHandover expected, RouteCacheHandover actual)
    {
        Assert.Equal(expected.Entries.Count, actual.Entries.Count);
        for (var i = 0; i < expected.Entries.Count; i++)
        {
            var e = expected.Entries[i];
            var a = actual.Entries[i];
            Assert.Equal(e.Path, a.Path, StringComparer.Ordinal);
            Assert.Equal(e.Version, a.Version);
            Assert.Equal(e.Age, a.Age);
            Assert.Equal(e.StaleIn, a.StaleIn);
            WireSamples.AssertEqual(e.Response, a.Response);
        }
    }

    private static byte[] Frame(Action<WireWriterBox> body)
    {
        var output = new ArrayBufferWriter<byte>();
        var box = new WireWriterBox(output);
        box.WriteByte(1);
        body(box);
        return output.WrittenSpan.ToArray();
    }

    private static InvalidDataException AssertInvalid<T>(IWireCodec<T> codec, ReadOnlyMemory<byte> bytes)
        => Assert.Throws<InvalidDataException>(() => codec.Read(new ReadOnlySequence<byte>(bytes)));

    private static ReadOnlySequence<byte> Split(byte[] bytes, int pieceLength)
    {
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += pieceLength)
        {
            var piece = bytes.AsMemory(offset, Math.Min(pieceLength, bytes.Length - offset));
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
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

    // WireWriter is a ref struct, so a lambda cannot capture one: this writes through a fresh one per call.
    private sealed class WireWriterBox(IBufferWriter<byte> output)
    {
        public void WriteByte(byte value) => new WireWriter(output).WriteByte(value);

        public void WriteVarUInt32(uint value) => new WireWriter(output).WriteVarUInt32(value);

        public void WriteString(string value) => new WireWriter(output).WriteString(value);

        public void WriteInt64(long value) => new WireWriter(output).WriteInt64(value);

        public void WriteBytes(ReadOnlySpan<byte> value) => new WireWriter(output).WriteBytes(value);

        public void WriteRaw(ReadOnlySpan<byte> value) => new WireWriter(output).WriteRaw(value);
    }
}
