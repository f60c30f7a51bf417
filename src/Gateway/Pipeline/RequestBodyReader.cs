using System.Buffers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.Gateway.Pipeline;

/// <summary>
/// Reads a request body whole, within the gateway's limit, before it is dispatched: a grain call carries the body in
/// its message, on the wire to another silo as well. A body that announces more than the limit is refused before a byte of
/// it is read; a chunked body is refused as soon as it passes the limit.
/// </summary>
internal static class RequestBodyReader
{
    public static async ValueTask<(BodyReadStatus Status, ReadOnlyMemory<byte> Body)> ReadAsync(HttpContext context, long limit)
    {
        var request = context.Request;
        var length = request.ContentLength;
        if (length == 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return (BodyReadStatus.Complete, ReadOnlyMemory<byte>.Empty);
        }

        if (length > limit)
        {
            return (BodyReadStatus.TooLarge, default);
        }

        var body = new ArrayBufferWriter<byte>(length is { } known ? (int)Math.Max(known, 1) : 4096);
        var reader = request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (body.WrittenCount + buffer.Length > limit)
                {
                    reader.AdvanceTo(buffer.End);
                    return (BodyReadStatus.TooLarge, default);
                }

                foreach (var segment in buffer)
                {
                    body.Write(segment.Span);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (BodyReadStatus.TooLarge, default);
        }
        catch (Exception exception) when (exception is BadHttpRequestException or IOException or ConnectionResetException or OperationCanceledException)
        {
            // Kestrel reports a body cut short ("Unexpected end of request content") as a bad request: either way the
            // client is gone or broke the framing, so there is no one to answer.
            return (BodyReadStatus.ClientAborted, default);
        }

        return (BodyReadStatus.Complete, body.WrittenMemory);
    }
}
