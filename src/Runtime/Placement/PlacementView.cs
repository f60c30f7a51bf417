using System.Buffers.Binary;
using System.Collections.Immutable;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Placement;

/// <summary>
/// Which silo owns which grain in one membership snapshot. Ownership is rendezvous (highest-random-weight) hashing over
/// the Active silos: each silo scores the grain by a stable hash of (silo, grain) and the highest score owns it. Every
/// process with the same snapshot computes the same owner with no directory lookup; when a silo leaves, only its grains
/// move, and a joining silo takes about 1/n of them. Silos that are joining or shutting down own nothing, so a draining
/// silo stops receiving new work the moment its status is published.
/// </summary>
internal sealed class PlacementView
{
    private readonly ImmutableArray<SiloAddress> _silos;
    private readonly uint[] _siloHashes;

    public PlacementView(MembershipSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Snapshot = snapshot;
        _silos = snapshot.ActiveSilos;
        _siloHashes = new uint[_silos.Length];
        for (var i = 0; i < _silos.Length; i++)
        {
            _siloHashes[i] = StableHash.Compute(_silos[i].ToString());
        }
    }

    /// <summary>The snapshot this view was computed from.</summary>
    public MembershipSnapshot Snapshot { get; }

    /// <summary>The snapshot's membership version.</summary>
    public int Version => Snapshot.Version;

    /// <summary>The silos that may own grains (Active), in the snapshot's deterministic order.</summary>
    public ImmutableArray<SiloAddress> Silos => _silos;

    /// <summary>Whether <paramref name="silo"/> is Active in this view.</summary>
    public bool IsActive(SiloAddress silo)
    {
        var silos = _silos;
        for (var i = 0; i < silos.Length; i++)
        {
            if (silos[i].Equals(silo))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The owner of <paramref name="grainId"/>, or null when no silo is Active.</summary>
    public SiloAddress? GetOwner(GrainId grainId) => GetOwner(grainId.GetUniformHashCode());

    /// <summary>The owner of a grain with this uniform hash, or null when no silo is Active.</summary>
    public SiloAddress? GetOwner(uint grainHash)
    {
        var hashes = _siloHashes;
        if (hashes.Length == 0)
        {
            return null;
        }

        var best = 0;
        var bestScore = Score(hashes[0], grainHash);
        for (var i = 1; i < hashes.Length; i++)
        {
            // Ties (vanishingly rare) go to the earlier silo in the snapshot's order, which every process shares.
            var score = Score(hashes[i], grainHash);
            if (score > bestScore)
            {
                best = i;
                bestScore = score;
            }
        }

        return _silos[best];
    }

    private static uint Score(uint siloHash, uint grainHash)
    {
        Span<byte> pair = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(pair, siloHash);
        BinaryPrimitives.WriteUInt32LittleEndian(pair[4..], grainHash);
        return StableHash.XxHash32(pair);
    }
}
