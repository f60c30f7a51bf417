using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>
/// A response that carries no codec payload: a request refused or expired before it was decoded, and the shared writer
/// of every non-<see cref="ResponseStatus.Ok"/> response body.
/// </summary>
internal sealed class StatusResponseFrame : OutboundFrame
{
    private readonly long _correlationId;
    private readonly ResponseStatus _status;
    private readonly string? _text;

    private StatusResponseFrame(long correlationId, ResponseStatus status, string? text)
    {
        _correlationId = correlationId;
        _status = status;
        _text = text;
    }

    /// <summary>The outcome the frame carries.</summary>
    public ResponseStatus Status => _status;

    /// <summary>A refusal: the request was not started.</summary>
    public static StatusResponseFrame Rejected(long correlationId, string reason) => new(correlationId, ResponseStatus.Rejected, reason);

    /// <summary>The request's time to live ran out before it started; it never will.</summary>
    public static StatusResponseFrame Expired(long correlationId) => new(correlationId, ResponseStatus.Expired, null);

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        WriteFailure(writer, _correlationId, _status, _text, null, 0);
        return true;
    }

    /// <summary>Writes a whole response frame body for any status but <see cref="ResponseStatus.Ok"/>.</summary>
    /// <param name="writer">The frame.</param>
    /// <param name="correlationId">The request's correlation id.</param>
    /// <param name="status">The outcome.</param>
    /// <param name="text">The reason (<see cref="ResponseStatus.Rejected"/>) or exception type (<see cref="ResponseStatus.Error"/>).</param>
    /// <param name="message">The exception message (<see cref="ResponseStatus.Error"/>).</param>
    /// <param name="ownerViewVersion">The refusing silo's view version (<see cref="ResponseStatus.NotOwner"/>).</param>
    public static void WriteFailure(FrameWriter writer, long correlationId, ResponseStatus status, string? text, string? message, int ownerViewVersion)
    {
        var wire = new WireWriter(writer);
        wire.WriteByte((byte)FrameKind.Response);
        wire.WriteInt64(correlationId);
        wire.WriteByte((byte)status);
        switch (status)
        {
            case ResponseStatus.Rejected:
                wire.WriteString(Truncate(text ?? string.Empty, WireProtocol.MaxReasonBytes / 3));
                break;
            case ResponseStatus.NotOwner:
                wire.WriteInt32(ownerViewVersion);
                break;
            case ResponseStatus.Error:
                wire.WriteString(Truncate(text ?? string.Empty, WireProtocol.MaxExceptionTypeBytes / 3));
                wire.WriteString(Truncate(message ?? string.Empty, WireProtocol.MaxExceptionMessageChars));
                break;
            case ResponseStatus.Expired:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "Use the response codec for Ok.");
        }
    }

    // Cuts a text to a number of characters (never between the halves of a surrogate pair), so its UTF-8 form — at most
    // three bytes per character — stays within the limit the reader enforces.
    private static string Truncate(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
        return text[..cut];
    }
}
