using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Networking;

/// <summary>
/// Who this process is on the cluster protocol: the identity it states in handshakes and, for a silo, the address and
/// generation it answers to. A listener refuses connections until <see cref="SiloAddress"/> is set.
/// </summary>
public sealed class ClusterTransportIdentity
{
    private volatile SiloAddress? _siloAddress;

    /// <summary>Creates the identity of a process that is not (yet) a silo.</summary>
    /// <param name="name">A name for logs and for <see cref="InboundCallInfo.Caller"/>, e.g. <c>gateway/&lt;guid&gt;</c>.</param>
    public ClusterTransportIdentity(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>Creates the identity of a silo; its name is its address.</summary>
    public ClusterTransportIdentity(SiloAddress siloAddress)
    {
        ArgumentNullException.ThrowIfNull(siloAddress);
        Name = siloAddress.ToString();
        _siloAddress = siloAddress;
    }

    /// <summary>The identity of a process that calls silos but hosts none: <c>&lt;role&gt;/&lt;random id&gt;</c>.</summary>
    /// <param name="role">What the process is, e.g. <c>gateway</c>.</param>
    public static ClusterTransportIdentity ForClient(string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        return new ClusterTransportIdentity(string.Concat(role, "/", Guid.NewGuid().ToString("N")));
    }

    /// <summary>The identity of a silo (its name is its address).</summary>
    public static ClusterTransportIdentity ForSilo(SiloAddress siloAddress) => new(siloAddress);

    /// <summary>The name this process gives in handshakes when it is not a silo.</summary>
    public string Name { get; }

    /// <summary>
    /// The local silo's address, or <see langword="null"/> when this process hosts no silo. Settable once the listener has
    /// bound (a port-0 listener learns its port only then); a silo states it in handshakes instead of <see cref="Name"/>.
    /// </summary>
    public SiloAddress? SiloAddress
    {
        get => _siloAddress;
        set => _siloAddress = value;
    }

    /// <summary>What this process states as its identity in a handshake: its silo address if it has one, else its name.</summary>
    internal string HandshakeIdentity => _siloAddress?.ToString() ?? Name;
}
