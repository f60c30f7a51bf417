using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>
/// The mutual challenge–response that opens every connection (README.md, "Handshake"). Each side proves it holds
/// <c>Cluster:Secret</c> with an HMAC-SHA256 over both nonces, the cluster id, the protocol version and both identities,
/// labelled by role so one side's proof can never be replayed as the other's; the secret itself never crosses the wire.
/// The listener also checks the cluster id and that it is the exact silo (address and generation) the connector wants.
/// The caller bounds both sides with <c>Cluster:Messaging:ConnectTimeout</c> through the cancellation token.
/// </summary>
internal sealed class ClusterHandshake
{
    private const byte ListenerRole = (byte)'L';
    private const byte ConnectorRole = (byte)'C';

    private readonly string _clusterId;
    private readonly byte[] _key;
    private readonly ClusterTransportIdentity _identity;

    public ClusterHandshake(string clusterId, string? secret, ClusterTransportIdentity identity)
    {
        _clusterId = clusterId;

        // Without Cluster:Secret — allowed only with InMemory membership, where every silo lives in this process (the
        // in-process test cluster) — the proofs use an empty key: they still bind the nonces and identities, but prove
        // no shared secret. ClusterOptionsValidator makes the secret mandatory with Postgres membership.
        _key = string.IsNullOrEmpty(secret) ? [] : Encoding.UTF8.GetBytes(secret);
        _identity = identity;
    }

    /// <summary>Runs the connector's side; returns the listener's identity once it accepted.</summary>
    /// <exception cref="ClusterHandshakeException">The listener refused, is another silo, or failed to prove the secret.</exception>
    /// <exception cref="InvalidDataException">The listener does not speak this protocol.</exception>
    /// <exception cref="OperationCanceledException">The token fired (the connect timeout).</exception>
    public async Task<string> ConnectAsync(IDuplexPipe pipe, SiloAddress expected, CancellationToken cancellationToken)
    {
        var connectorIdentity = _identity.HandshakeIdentity;
        var expectedText = expected.ToString();
        var connectorNonce = RandomNumberGenerator.GetBytes(WireProtocol.NonceSize);
        await WriteFrameAsync(pipe.Output, BuildHello(connectorIdentity, expectedText, connectorNonce), cancellationToken).ConfigureAwait(false);

        var challenge = await ReadFrameAsync(pipe.Input, cancellationToken).ConfigureAwait(false)
            ?? throw new ClusterHandshakeException(HandshakeRefusal.Malformed, $"{expected} closed the connection during the handshake.");
        var (listenerIdentity, listenerNonce, listenerProof) = ParseChallenge(challenge, expected);
        if (!SiloAddress.TryParse(listenerIdentity, out var listenerAddress) || !listenerAddress.Equals(expected))
        {
            throw new ClusterHandshakeException(HandshakeRefusal.WrongSilo, $"The listener at {expected.Host}:{expected.Port} is {listenerIdentity}, not {expected}.");
        }

        var expectedProof = ComputeProof(ListenerRole, connectorIdentity, listenerIdentity, connectorNonce, listenerNonce);
        if (!CryptographicOperations.FixedTimeEquals(expectedProof, listenerProof))
        {
            throw new ClusterHandshakeException(HandshakeRefusal.AuthenticationFailed, $"{expected} could not prove Cluster:Secret (the secrets differ).");
        }

        var proof = ComputeProof(ConnectorRole, connectorIdentity, listenerIdentity, connectorNonce, listenerNonce);
        await WriteFrameAsync(pipe.Output, BuildProof(proof), cancellationToken).ConfigureAwait(false);

        var final = await ReadFrameAsync(pipe.Input, cancellationToken).ConfigureAwait(false)
            ?? throw new ClusterHandshakeException(HandshakeRefusal.Malformed, $"{expected} closed the connection during the handshake.");
        ParseFinal(final, expected);
        return listenerIdentity;
    }

    /// <summary>
    /// Runs the listener's side. On refusal, the reason code is sent (best effort) and returned; the caller closes the
    /// connection. Never throws for anything the peer does, except cancellation (the timeout).
    /// </summary>
    public async Task<HandshakeOutcome> AcceptAsync(IDuplexPipe pipe, bool shuttingDown, CancellationToken cancellationToken)
    {
        Hello hello;
        try
        {
            var frame = await ReadFrameAsync(pipe.Input, cancellationToken).ConfigureAwait(false);
            if (frame is null)
            {
                return new HandshakeOutcome(HandshakeRefusal.Malformed, null, "The peer closed the connection before its hello.");
            }

            hello = ParseHello(frame);
        }
        catch (InvalidDataException ex)
        {
            await TryRefuseAsync(pipe.Output, HandshakeRefusal.Malformed, cancellationToken).ConfigureAwait(false);
            return new HandshakeOutcome(HandshakeRefusal.Malformed, null, ex.Message);
        }

        var local = _identity.SiloAddress;
        var (refusal, detail) = hello switch
        {
            { Version: not WireProtocol.ProtocolVersion } => (HandshakeRefusal.ProtocolVersion, $"protocol version {hello.Version}, not {WireProtocol.ProtocolVersion}"),
            _ when !string.Equals(hello.ClusterId, _clusterId, StringComparison.Ordinal) => (HandshakeRefusal.ClusterId, $"cluster id '{hello.ClusterId}', not '{_clusterId}'"),
            _ when local is null => (HandshakeRefusal.NotASilo, "this process has no silo address yet"),
            _ when shuttingDown => (HandshakeRefusal.ShuttingDown, "the listener is stopping"),
            _ when !SiloAddress.TryParse(hello.ExpectedTarget, out var wanted) || !wanted.Equals(local) => (HandshakeRefusal.WrongSilo, $"it asked for {hello.ExpectedTarget}, this is {local}"),
            _ => (HandshakeRefusal.None, null),
        };

        if (refusal != HandshakeRefusal.None)
        {
            await TryRefuseAsync(pipe.Output, refusal, cancellationToken).ConfigureAwait(false);
            return new HandshakeOutcome(refusal, hello.Identity, detail);
        }

        var listenerIdentity = local!.ToString();
        var listenerNonce = RandomNumberGenerator.GetBytes(WireProtocol.NonceSize);
        var listenerProof = ComputeProof(ListenerRole, hello.Identity, listenerIdentity, hello.Nonce, listenerNonce);
        await WriteFrameAsync(pipe.Output, BuildChallenge(listenerIdentity, listenerNonce, listenerProof), cancellationToken).ConfigureAwait(false);

        byte[] proof;
        try
        {
            var frame = await ReadFrameAsync(pipe.Input, cancellationToken).ConfigureAwait(false);
            if (frame is null)
            {
                // A connector closes here when this listener's proof did not convince it (different secrets).
                return new HandshakeOutcome(HandshakeRefusal.AuthenticationFailed, hello.Identity, "The peer closed the connection instead of proving the secret (the secrets may differ).");
            }

            proof = ParseProof(frame);
        }
        catch (InvalidDataException ex)
        {
            await TryRefuseAsync(pipe.Output, HandshakeRefusal.Malformed, cancellationToken).ConfigureAwait(false);
            return new HandshakeOutcome(HandshakeRefusal.Malformed, hello.Identity, ex.Message);
        }

        var expectedProof = ComputeProof(ConnectorRole, hello.Identity, listenerIdentity, hello.Nonce, listenerNonce);
        if (!CryptographicOperations.FixedTimeEquals(expectedProof, proof))
        {
            await TryRefuseAsync(pipe.Output, HandshakeRefusal.AuthenticationFailed, cancellationToken).ConfigureAwait(false);
            return new HandshakeOutcome(HandshakeRefusal.AuthenticationFailed, hello.Identity, "its proof of Cluster:Secret is wrong");
        }

        await WriteFrameAsync(pipe.Output, BuildSimple(HandshakeMessage.Accepted), cancellationToken).ConfigureAwait(false);
        return new HandshakeOutcome(HandshakeRefusal.None, hello.Identity, null);
    }

    /// <summary>Builds a refusal frame (tests use it to check what a raw peer receives).</summary>
    internal static byte[] BuildRefusal(HandshakeRefusal refusal)
    {
        var body = new ArrayBufferWriter<byte>(8);
        var wire = new WireWriter(body);
        wire.WriteByte((byte)HandshakeMessage.Refused);
        wire.WriteByte((byte)refusal);
        return Frame(body);
    }

    private byte[] ComputeProof(byte role, string connectorIdentity, string listenerIdentity, ReadOnlySpan<byte> connectorNonce, ReadOnlySpan<byte> listenerNonce)
    {
        var transcript = new ArrayBufferWriter<byte>(256);
        var wire = new WireWriter(transcript);
        wire.WriteByte(role);
        wire.WriteInt32(WireProtocol.ProtocolVersion);
        wire.WriteString(_clusterId);
        wire.WriteString(connectorIdentity);
        wire.WriteString(listenerIdentity);
        wire.WriteBytes(connectorNonce);
        wire.WriteBytes(listenerNonce);
        return HMACSHA256.HashData(_key, transcript.WrittenSpan);
    }

    private byte[] BuildHello(string identity, string expectedTarget, byte[] nonce)
    {
        var body = new ArrayBufferWriter<byte>(256);
        var wire = new WireWriter(body);
        wire.WriteByte((byte)HandshakeMessage.Hello);
        wire.WriteInt32(unchecked((int)WireProtocol.Magic));
        wire.WriteVarUInt32(WireProtocol.ProtocolVersion);
        wire.WriteString(_clusterId);
        wire.WriteString(identity);
        wire.WriteString(expectedTarget);
        wire.WriteBytes(nonce);
        return Frame(body);
    }

    private static byte[] BuildChallenge(string identity, byte[] nonce, byte[] proof)
    {
        var body = new ArrayBufferWriter<byte>(160);
        var wire = new WireWriter(body);
        wire.WriteByte((byte)HandshakeMessage.Challenge);
        wire.WriteString(identity);
        wire.WriteBytes(nonce);
        wire.WriteBytes(proof);
        return Frame(body);
    }

    private static byte[] BuildProof(byte[] proof)
    {
        var body = new ArrayBufferWriter<byte>(40);
        var wire = new WireWriter(body);
        wire.WriteByte((byte)HandshakeMessage.Proof);
        wire.WriteBytes(proof);
        return Frame(body);
    }

    private static byte[] BuildSimple(HandshakeMessage message)
    {
        var body = new ArrayBufferWriter<byte>(1);
        new WireWriter(body).WriteByte((byte)message);
        return Frame(body);
    }

    private static byte[] Frame(ArrayBufferWriter<byte> body)
    {
        var frame = new byte[WireProtocol.FramePrefixSize + body.WrittenCount];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.WrittenCount);
        body.WrittenSpan.CopyTo(frame.AsSpan(WireProtocol.FramePrefixSize));
        return frame;
    }

    private static Hello ParseHello(byte[] frame)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(frame));
        if (reader.ReadByte() != (byte)HandshakeMessage.Hello || unchecked((uint)reader.ReadInt32()) != WireProtocol.Magic)
        {
            throw new InvalidDataException("The first frame is not a cluster protocol hello.");
        }

        var version = reader.ReadVarUInt32();
        var clusterId = reader.ReadString(WireProtocol.MaxClusterIdBytes);
        var identity = reader.ReadString(WireProtocol.MaxIdentityBytes);
        var expectedTarget = reader.ReadString(WireProtocol.MaxIdentityBytes);
        var nonce = ReadFixed(ref reader, WireProtocol.NonceSize);
        reader.EnsureEnd();
        return new Hello(version, clusterId, identity, expectedTarget, nonce);
    }

    private static (string Identity, byte[] Nonce, byte[] Proof) ParseChallenge(byte[] frame, SiloAddress expected)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(frame));
        var kind = reader.ReadByte();
        if (kind == (byte)HandshakeMessage.Refused)
        {
            throw Refused(ref reader, expected);
        }

        if (kind != (byte)HandshakeMessage.Challenge)
        {
            throw new InvalidDataException($"Expected a handshake challenge, got message {kind}.");
        }

        var identity = reader.ReadString(WireProtocol.MaxIdentityBytes);
        var nonce = ReadFixed(ref reader, WireProtocol.NonceSize);
        var proof = ReadFixed(ref reader, WireProtocol.ProofSize);
        reader.EnsureEnd();
        return (identity, nonce, proof);
    }

    private static byte[] ParseProof(byte[] frame)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(frame));
        if (reader.ReadByte() != (byte)HandshakeMessage.Proof)
        {
            throw new InvalidDataException("Expected a handshake proof.");
        }

        var proof = ReadFixed(ref reader, WireProtocol.ProofSize);
        reader.EnsureEnd();
        return proof;
    }

    private static void ParseFinal(byte[] frame, SiloAddress expected)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(frame));
        var kind = reader.ReadByte();
        if (kind == (byte)HandshakeMessage.Refused)
        {
            throw Refused(ref reader, expected);
        }

        if (kind != (byte)HandshakeMessage.Accepted)
        {
            throw new InvalidDataException($"Expected the handshake's acceptance, got message {kind}.");
        }

        reader.EnsureEnd();
    }

    private static ClusterHandshakeException Refused(ref WireReader reader, SiloAddress expected)
    {
        var reason = (HandshakeRefusal)reader.ReadByte();
        return new ClusterHandshakeException(reason, $"{expected} refused the connection: {reason}.");
    }

    private static byte[] ReadFixed(ref WireReader reader, int size)
    {
        var bytes = reader.ReadBytes(size);
        return bytes.Length == size ? bytes : throw new InvalidDataException($"Expected {size} bytes, got {bytes.Length}.");
    }

    private static async ValueTask TryRefuseAsync(PipeWriter output, HandshakeRefusal refusal, CancellationToken cancellationToken)
    {
        try
        {
            await WriteFrameAsync(output, BuildRefusal(refusal), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            // Best effort: the peer may already be gone; the connection closes either way.
        }
    }

    private static async ValueTask WriteFrameAsync(PipeWriter output, byte[] frame, CancellationToken cancellationToken)
        => await output.WriteAsync(frame, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads one handshake frame (copied: the handshake is once per connection), or null at end of stream.</summary>
    private static async ValueTask<byte[]?> ReadFrameAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            byte[]? frame;
            SequencePosition consumed;
            try
            {
                frame = TryTakeFrame(buffer, out consumed);
            }
            catch
            {
                input.AdvanceTo(buffer.Start);
                throw;
            }

            if (frame is not null)
            {
                // Consume this frame only: what follows it (the first frames after the handshake) stays in the pipe.
                input.AdvanceTo(consumed);
                return frame;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return null;
            }
        }
    }

    private static byte[]? TryTakeFrame(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        consumed = buffer.Start;
        if (buffer.Length < WireProtocol.FramePrefixSize)
        {
            return null;
        }

        Span<byte> prefix = stackalloc byte[WireProtocol.FramePrefixSize];
        buffer.Slice(0, WireProtocol.FramePrefixSize).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length <= 0 || length > WireProtocol.MaxHandshakeFrameSize)
        {
            throw new InvalidDataException($"A handshake frame length of {length} is out of range (1–{WireProtocol.MaxHandshakeFrameSize}).");
        }

        if (buffer.Length < WireProtocol.FramePrefixSize + length)
        {
            return null;
        }

        var body = buffer.Slice(WireProtocol.FramePrefixSize, length);
        consumed = body.End;
        return body.ToArray();
    }

    private readonly record struct Hello(uint Version, string ClusterId, string Identity, string ExpectedTarget, byte[] Nonce);
}
