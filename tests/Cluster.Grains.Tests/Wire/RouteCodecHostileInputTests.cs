using System.Buffers;
using Cluster.Grains.Wire;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Tests.Wire;

/// <summary>
/// Frames a broken or hostile peer could send. The only acceptable outcomes are a valid value or an
/// <see cref="InvalidDataException"/> (on which the transport closes that connection); never another exception type,
/// and never an allocation sized by a length the frame does not carry.
/// </summary>
public sealed class RouteCodecHostileInputTests
{
    // A refused frame costs the exception (about 1 KiB with its message and stack trace) and nothing sized by a length
    // or count it claims: the smallest such array, 1,000 headers, would be 16 KiB.
    private const long AllocationBudget = 4 * 1024;

    public static TheoryData<string> InvocationSamples => new(WireSamples.Invocations.Keys);

    public static TheoryData<string> ResponseSamples => new(WireSamples.Responses.Keys);

    [Theory]
    [MemberData(nameof(InvocationSamples))]
    public void ReadInvocation_EveryTruncation_ThrowsInvalidData(string sample)
    {
        var bytes = WireSamples.Encode(RouteInvocationCodec.Instance, WireSamples.Invocations[sample]());

        foreach (var length in TruncationLengths(bytes.Length))
        {
            AssertInvalid(RouteInvocationCodec.Instance, bytes.AsMemory(0, length));
        }
    }

    [Theory]
    [MemberData(nameof(ResponseSamples))]
    public void ReadResponse_EveryTruncation_ThrowsInvalidData(string sample)
    {
        var bytes = WireSamples.Encode(RouteResponseCodec.Instance, WireSamples.Responses[sample]());

        foreach (var length in TruncationLengths(bytes.Length))
        {
            AssertInvalid(RouteResponseCodec.Instance, bytes.AsMemory(0, length));
        }
    }

    [Fact]
    public void ReadInvocation_TrailingByte_ThrowsInvalidData()
    {
        var bytes = WireSamples.Encode(RouteInvocationCodec.Instance, WireSamples.TypicalGet());

        AssertInvalid(RouteInvocationCodec.Instance, (byte[])[.. bytes, 0]);
    }

    [Fact]
    public void ReadResponse_TrailingByte_ThrowsInvalidData()
    {
        var bytes = WireSamples.Encode(RouteResponseCodec.Instance, WireSamples.TypicalJson());

        AssertInvalid(RouteResponseCodec.Instance, (byte[])[.. bytes, 0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0x7F)]
    [InlineData(0xFF)]
    public void Read_UnknownVersion_ThrowsInvalidDataNamingIt(byte version)
    {
        var invocation = WireSamples.Encode(RouteInvocationCodec.Instance, WireSamples.TypicalGet());
        var response = WireSamples.Encode(RouteResponseCodec.Instance, WireSamples.TypicalJson());
        invocation[0] = version;
        response[0] = version;

        var invocationError = AssertInvalid(RouteInvocationCodec.Instance, invocation);
        var responseError = AssertInvalid(RouteResponseCodec.Instance, response);

        Assert.Contains($"version {version}", invocationError.Message, StringComparison.Ordinal);
        Assert.Contains($"version {version}", responseError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Empty_ThrowsInvalidData()
    {
        AssertInvalid(RouteInvocationCodec.Instance, Array.Empty<byte>());
        AssertInvalid(RouteResponseCodec.Instance, Array.Empty<byte>());
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void ReadInvocation_UnknownHandler_ThrowsInvalidData(byte handler)
    {
        var bytes = WireSamples.Encode(RouteInvocationCodec.Instance, WireSamples.Invocations["minimal"]());
        Assert.Equal((byte)RouteMethod.Get, bytes[3]);
        bytes[3] = handler;

        AssertInvalid(RouteInvocationCodec.Instance, bytes);
    }

    [Fact]
    public void ReadInvocation_UnknownParamKind_ThrowsInvalidData()
    {
        var frame = InvocationPrefix(w =>
        {
            w.WriteVarUInt32(0);
            w.WriteVarUInt32(1);
            w.WriteString("id");
            w.WriteByte(2);
            w.WriteString("42");
            w.WriteBytes([]);
        });

        AssertInvalid(RouteInvocationCodec.Instance, frame);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(99u)]
    [InlineData(600u)]
    [InlineData(uint.MaxValue)]
    public void ReadResponse_StatusOutOfRange_ThrowsInvalidData(uint status)
    {
        var frame = Frame(w =>
        {
            w.WriteByte(1);
            w.WriteVarUInt32(status);
            w.WriteNullableString(null);
            w.WriteVarUInt32(0);
            w.WriteBytes([]);
        });

        AssertInvalid(RouteResponseCodec.Instance, frame);
    }

    [Fact]
    public void ReadInvocation_HugeLengthsAndCounts_ThrowInvalidDataWithoutAllocating()
    {
        byte[][] frames =
        [
            // A pattern of 4 GiB, and one of exactly the string limit, neither of which the frame carries.
            Frame(w => { w.WriteByte(1); w.WriteVarUInt32(uint.MaxValue); w.WriteRaw(new byte[16]); }),
            Frame(w => { w.WriteByte(1); w.WriteVarUInt32(RouteWireFormat.MaxStringBytes); w.WriteRaw(new byte[16]); }),
            Frame(w => { w.WriteByte(1); w.WriteVarUInt32(RouteWireFormat.MaxStringBytes + 1); }),

            // Header, param and segment counts at and over their limits, with almost nothing behind them.
            InvocationPrefix(w => { w.WriteVarUInt32(RouteWireFormat.MaxHeaderCount); w.WriteRaw(new byte[64]); }),
            InvocationPrefix(w => { w.WriteVarUInt32(RouteWireFormat.MaxHeaderCount + 1); w.WriteRaw(new byte[64]); }),
            InvocationPrefix(w => { w.WriteVarUInt32(uint.MaxValue); }),
            InvocationPrefix(w => { w.WriteVarUInt32(0); w.WriteVarUInt32(RouteWireFormat.MaxParamCount); w.WriteRaw(new byte[64]); }),
            InvocationPrefix(w => { w.WriteVarUInt32(0); w.WriteVarUInt32(1); w.WriteString("slug"); w.WriteByte(1); w.WriteVarUInt32(RouteWireFormat.MaxSegmentCount); w.WriteRaw(new byte[64]); }),
            InvocationPrefix(w => { w.WriteVarUInt32(0); w.WriteVarUInt32(1); w.WriteString("slug"); w.WriteByte(1); w.WriteVarUInt32(uint.MaxValue); }),

            // A header value, and a body, claiming far more than is left.
            InvocationPrefix(w => { w.WriteVarUInt32(1); w.WriteString("x"); w.WriteVarUInt32(RouteWireFormat.MaxStringBytes); w.WriteRaw(new byte[8]); }),
            InvocationPrefix(w => { w.WriteVarUInt32(0); w.WriteVarUInt32(0); w.WriteVarUInt32(int.MaxValue); w.WriteRaw(new byte[8]); }),
            InvocationPrefix(w => { w.WriteVarUInt32(0); w.WriteVarUInt32(0); w.WriteVarUInt32(uint.MaxValue); }),
        ];

        AssertAllInvalidWithinBudget(RouteInvocationCodec.Instance, frames);
    }

    [Fact]
    public void ReadResponse_HugeLengthsAndCounts_ThrowInvalidDataWithoutAllocating()
    {
        byte[][] frames =
        [
            ResponsePrefix(w => { w.WriteVarUInt32(uint.MaxValue); w.WriteRaw(new byte[16]); }),
            ResponsePrefix(w => { w.WriteVarUInt32(RouteWireFormat.MaxStringBytes + 1); w.WriteRaw(new byte[16]); }),
            ResponsePrefix(w => { w.WriteNullableString(null); w.WriteVarUInt32(RouteWireFormat.MaxHeaderCount); w.WriteRaw(new byte[64]); }),
            ResponsePrefix(w => { w.WriteNullableString(null); w.WriteVarUInt32(uint.MaxValue); }),
            ResponsePrefix(w => { w.WriteNullableString(null); w.WriteVarUInt32(1); w.WriteVarUInt32(RouteWireFormat.MaxStringBytes); w.WriteRaw(new byte[8]); }),
            ResponsePrefix(w => { w.WriteNullableString(null); w.WriteVarUInt32(0); w.WriteVarUInt32(int.MaxValue); w.WriteRaw(new byte[8]); }),
            ResponsePrefix(w => { w.WriteNullableString("application/json"); w.WriteVarUInt32(0); w.WriteVarUInt32(uint.MaxValue - 1); }),
        ];

        AssertAllInvalidWithinBudget(RouteResponseCodec.Instance, frames);
    }

    [Fact]
    public void ReadInvocation_RandomBytes_ReturnAValueOrThrowInvalidData()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 96)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && i % 2 == 0)
            {
                // Half of them past the version check, so the rest of the reader is exercised too.
                bytes[0] = RouteWireFormat.Version1;
            }

            AssertValueOrInvalid(RouteInvocationCodec.Instance, bytes, WireSamples.AssertEqual);
        }
    }

    [Fact]
    public void ReadResponse_RandomBytes_ReturnAValueOrThrowInvalidData()
    {
        var random = new Random(1122);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && i % 2 == 0)
            {
                bytes[0] = RouteWireFormat.Version1;
            }

            AssertValueOrInvalid(RouteResponseCodec.Instance, bytes, WireSamples.AssertEqual);
        }
    }

    [Theory]
    [InlineData("typical-get")]
    [InlineData("catch-all")]
    [InlineData("non-ascii")]
    [InlineData("repeated-header-names")]
    [InlineData("empty-strings")]
    public void ReadInvocation_MutatedValidFrames_ReturnAValueOrThrowInvalidData(string sample)
    {
        var valid = WireSamples.Encode(RouteInvocationCodec.Instance, WireSamples.Invocations[sample]());
        var random = new Random(StableSeed(sample));
        for (var i = 0; i < 5_000; i++)
        {
            AssertValueOrInvalid(RouteInvocationCodec.Instance, Mutate(valid, random), WireSamples.AssertEqual);
        }
    }

    [Theory]
    [InlineData("json-64-bytes")]
    [InlineData("cookies-all-options")]
    [InlineData("repeated-headers")]
    [InlineData("redirect-301")]
    public void ReadResponse_MutatedValidFrames_ReturnAValueOrThrowInvalidData(string sample)
    {
        var valid = WireSamples.Encode(RouteResponseCodec.Instance, WireSamples.Responses[sample]());
        var random = new Random(StableSeed(sample));
        for (var i = 0; i < 5_000; i++)
        {
            AssertValueOrInvalid(RouteResponseCodec.Instance, Mutate(valid, random), WireSamples.AssertEqual);
        }
    }

    private static void AssertAllInvalidWithinBudget<T>(IWireCodec<T> codec, byte[][] frames)
    {
        // Once to load and JIT everything involved, then measured.
        foreach (var frame in frames)
        {
            AssertInvalid(codec, frame);
        }

        foreach (var frame in frames)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            AssertInvalid(codec, frame);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationBudget, $"Reading {Convert.ToHexString(frame)} allocated {allocated} bytes.");
        }
    }

    private static InvalidDataException AssertInvalid<T>(IWireCodec<T> codec, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var value = codec.Read(new ReadOnlySequence<byte>(bytes));
            Assert.Fail($"Reading {Convert.ToHexString(bytes.Span)} gave a {value?.GetType().Name} instead of failing.");
            throw new InvalidOperationException("Unreachable.");
        }
        catch (InvalidDataException error)
        {
            return error;
        }
        catch (Exception error) when (error is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"Reading {Convert.ToHexString(bytes.Span)} threw {error.GetType().Name} instead of InvalidDataException: {error}");
            throw;
        }
    }

    private static void AssertValueOrInvalid<T>(IWireCodec<T> codec, byte[] bytes, Action<T, T> assertEqual)
    {
        T value;
        try
        {
            value = codec.Read(new ReadOnlySequence<byte>(bytes));
        }
        catch (InvalidDataException)
        {
            return;
        }
        catch (Exception error)
        {
            Assert.Fail($"Reading {Convert.ToHexString(bytes)} threw {error.GetType().Name} instead of InvalidDataException: {error}");
            return;
        }

        // Whatever a reader accepts must be a value a writer can send on, unchanged.
        var again = codec.Read(new ReadOnlySequence<byte>(WireSamples.Encode(codec, value)));
        assertEqual(value, again);
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                break;
            case 1:
                for (var j = random.Next(1, 4); j > 0; j--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 2:
                // A length or count byte replaced by a large varint's first byte.
                bytes[random.Next(1, bytes.Length)] = (byte)(0x80 | random.Next(128));
                break;
            default:
                var at = random.Next(1, bytes.Length);
                bytes = [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
                break;
        }

        return bytes;
    }

    private static IEnumerable<int> TruncationLengths(int length)
    {
        // Every prefix of small frames; for the large-body samples, every prefix around the fields and a stride through the body.
        if (length <= 64 * 1024)
        {
            return Enumerable.Range(0, length);
        }

        return Enumerable.Range(0, 4096)
            .Concat(Enumerable.Range(length - 4096, 4096))
            .Concat(Enumerable.Range(0, length / 4099).Select(i => i * 4099))
            .Distinct();
    }

    private static int StableSeed(string sample) => sample.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));

    private delegate void WriteAction(WireWriter writer);

    private static byte[] Frame(WriteAction write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new WireWriter(output));
        return output.WrittenSpan.ToArray();
    }

    // A valid invocation frame up to and including the query string; the caller writes headers, params and body.
    private static byte[] InvocationPrefix(WriteAction rest) => Frame(w =>
    {
        w.WriteByte(RouteWireFormat.Version1);
        w.WriteString("/p/[id]");
        w.WriteByte((byte)RouteMethod.Get);
        w.WriteString("GET");
        w.WriteString("https");
        w.WriteString("h");
        w.WriteString("/p/1");
        w.WriteString(string.Empty);
        rest(w);
    });

    // A valid response frame up to and including the status; the caller writes content type, headers and body.
    private static byte[] ResponsePrefix(WriteAction rest) => Frame(w =>
    {
        w.WriteByte(RouteWireFormat.Version1);
        w.WriteVarUInt32(200);
        rest(w);
    });
}
