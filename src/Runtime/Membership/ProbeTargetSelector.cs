using System.Buffers.Binary;
using System.Text;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>
/// Chooses whom a silo monitors (orleans-runtime.md §1.5): on each of <c>count</c> hash rings (ring <c>k</c> orders the
/// silos by a stable hash seeded with <c>k</c>), the first silo after me that I do not already monitor. The monitor sets
/// then overlap little (an approximate expander graph), so several silos failing at once are still each watched by
/// live observers. With no more candidates than rings, everyone is monitored.
/// </summary>
internal static class ProbeTargetSelector
{
    // Hosts are DNS names or IP literals: far below this many UTF-8 bytes.
    private const int StackallocThreshold = 256;

    /// <summary>Selects up to <paramref name="count"/> silos from <paramref name="candidates"/> for <paramref name="self"/> to probe.</summary>
    /// <param name="self">The probing silo (added to the rings if it is not among the candidates).</param>
    /// <param name="candidates">Silos that may be probed (not dead); may include <paramref name="self"/>.</param>
    /// <param name="count">How many rings, hence at most how many targets.</param>
    public static List<SiloAddress> Select(SiloAddress self, IReadOnlyCollection<SiloAddress> candidates, int count)
    {
        var ring = new List<SiloAddress>(candidates.Count + 1) { self };
        foreach (var candidate in candidates)
        {
            if (!candidate.Equals(self))
            {
                ring.Add(candidate);
            }
        }

        var others = ring.Count - 1;
        var targets = new List<SiloAddress>(Math.Min(count, others));
        if (others == 0)
        {
            return targets;
        }

        var hashes = new (uint Hash, string Key, SiloAddress Silo)[ring.Count];
        for (var k = 0; k < count && targets.Count < others; k++)
        {
            for (var i = 0; i < ring.Count; i++)
            {
                hashes[i] = (GetRingHash(ring[i], (uint)k), ring[i].ToString(), ring[i]);
            }

            // Ties on the hash are broken by the address text so every process builds the same ring.
            Array.Sort(hashes, static (x, y) => x.Hash != y.Hash ? x.Hash.CompareTo(y.Hash) : string.CompareOrdinal(x.Key, y.Key));
            var me = Array.FindIndex(hashes, entry => entry.Silo.Equals(self));
            for (var step = 1; step < hashes.Length; step++)
            {
                var next = hashes[(me + step) % hashes.Length].Silo;
                if (!targets.Contains(next))
                {
                    targets.Add(next);
                    break;
                }
            }
        }

        return targets;
    }

    /// <summary>
    /// A stable hash of the silo's host (lower-cased, as addresses compare hosts case-insensitively), port and
    /// generation, mixed with <paramref name="seed"/>: the same in every process.
    /// </summary>
    public static uint GetRingHash(SiloAddress silo, uint seed)
    {
        var host = silo.Host.ToLowerInvariant();
        var length = Encoding.UTF8.GetMaxByteCount(host.Length) + 8;
        var buffer = length <= StackallocThreshold ? stackalloc byte[StackallocThreshold] : new byte[length];
        var written = Encoding.UTF8.GetBytes(host, buffer);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[written..], silo.Port);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[(written + 4)..], silo.Generation);
        return StableHash.XxHash32(buffer[..(written + 8)], seed);
    }
}
