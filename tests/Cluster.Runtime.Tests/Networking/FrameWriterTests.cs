using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Tests.Networking;

public sealed class FrameWriterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(1019)]
    [InlineData(1020)]
    [InlineData(5000)]
    [InlineData(200_000)]
    public async Task Commit_AnySize_WritesLengthPrefixAndBodyInOrder(int size)
    {
        var pipe = new Pipe();
        var sut = new FrameWriter();
        var body = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();

        sut.Begin(pipe.Writer);
        WriteInChunks(sut, body, chunk: 333);
        Assert.Equal(size, sut.Length);
        sut.Commit();
        await pipe.Writer.CompleteAsync();

        var written = await ReadAllAsync(pipe.Reader);
        Assert.Equal(size, BinaryPrimitives.ReadInt32LittleEndian(written));
        Assert.Equal(body, written[4..]);
    }

    [Fact]
    public async Task Restart_AfterOverflow_OnlyTheSecondAttemptIsWritten()
    {
        var pipe = new Pipe();
        var sut = new FrameWriter();

        sut.Begin(pipe.Writer);
        WriteInChunks(sut, new byte[10_000], chunk: 1000);
        sut.Restart();
        WriteInChunks(sut, [1, 2, 3], chunk: 3);
        sut.Commit();
        await pipe.Writer.CompleteAsync();

        Assert.Equal([3, 0, 0, 0, 1, 2, 3], await ReadAllAsync(pipe.Reader));
    }

    [Fact]
    public async Task Cancel_NothingReachesThePipeAndTheNextFrameIsIntact()
    {
        var pipe = new Pipe();
        var sut = new FrameWriter();

        sut.Begin(pipe.Writer);
        WriteInChunks(sut, new byte[9000], chunk: 500);
        sut.Cancel();
        sut.Begin(pipe.Writer);
        WriteInChunks(sut, [9], chunk: 1);
        sut.Commit();
        await pipe.Writer.CompleteAsync();

        Assert.Equal([1, 0, 0, 0, 9], await ReadAllAsync(pipe.Reader));
    }

    [Fact]
    public async Task ManyFrames_OneFlush_AllFramesInOrder()
    {
        var pipe = new Pipe();
        var sut = new FrameWriter();

        for (var i = 0; i < 50; i++)
        {
            sut.Begin(pipe.Writer);
            WriteInChunks(sut, Enumerable.Repeat((byte)i, i * 37).ToArray(), chunk: 64);
            sut.Commit();
        }

        await pipe.Writer.CompleteAsync();
        var written = await ReadAllAsync(pipe.Reader);
        var offset = 0;
        for (var i = 0; i < 50; i++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(written.AsSpan(offset));
            Assert.Equal(i * 37, length);
            Assert.All(written.AsSpan(offset + 4, length).ToArray(), b => Assert.Equal((byte)i, b));
            offset += 4 + length;
        }

        Assert.Equal(written.Length, offset);
    }

    private static void WriteInChunks(IBufferWriter<byte> writer, byte[] body, int chunk)
    {
        for (var offset = 0; offset < body.Length; offset += chunk)
        {
            var part = body.AsSpan(offset, Math.Min(chunk, body.Length - offset));
            part.CopyTo(writer.GetSpan(part.Length));
            writer.Advance(part.Length);
        }
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync();
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
