using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>Reading the cluster protocol's length-prefixed frames off a raw pipe, for the tests' hand-driven peers.</summary>
internal static class RawFrames
{
    /// <summary>Reads one frame body, or null if the connection ended first.</summary>
    public static async Task<byte[]?> ReadFrameAsync(PipeReader input, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var result = await input.ReadAsync(cts.Token);
            var buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                var prefix = new byte[4];
                buffer.Slice(0, 4).CopyTo(prefix);
                var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
                if (buffer.Length >= 4 + length)
                {
                    var body = buffer.Slice(4, length).ToArray();
                    input.AdvanceTo(buffer.GetPosition(4 + length));
                    return body;
                }
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>Whether the other side closed the connection within <paramref name="timeout"/> (reads and drops anything it sent).</summary>
    public static async Task<bool> WaitForCloseAsync(PipeReader input, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cts.Token);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
