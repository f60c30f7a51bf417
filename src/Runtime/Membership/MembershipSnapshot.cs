using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>
/// One read of the membership table, immutable: the rows and the table version they were read at. Built once per read
/// and then shared by every reader (call routing, gateways, health), so all queries are field reads or one frozen
/// dictionary lookup. Rows are ordered by <see cref="SiloAddress.ToString"/> (ordinal), so every process that read the
/// same table sees the same order.
/// </summary>
public sealed class MembershipSnapshot
{
    private readonly FrozenDictionary<SiloAddress, MembershipEntry> _bySilo;

    /// <summary>Creates a snapshot of <paramref name="entries"/> at <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is negative.</exception>
    /// <exception cref="ArgumentException">Two entries have the same silo address.</exception>
    public MembershipSnapshot(int version, IEnumerable<MembershipEntry> entries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentNullException.ThrowIfNull(entries);

        var sorted = entries.ToArray();
        var keys = new string[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            keys[i] = sorted[i].SiloAddress.ToString();
        }

        Array.Sort(keys, sorted, StringComparer.Ordinal);

        var bySilo = new Dictionary<SiloAddress, MembershipEntry>(sorted.Length);
        var active = ImmutableArray.CreateBuilder<SiloAddress>();
        foreach (var entry in sorted)
        {
            if (!bySilo.TryAdd(entry.SiloAddress, entry))
            {
                throw new ArgumentException($"Silo {entry.SiloAddress} appears twice.", nameof(entries));
            }

            if (entry.Status == SiloStatus.Active)
            {
                active.Add(entry.SiloAddress);
            }
        }

        Version = version;
        Entries = ImmutableArray.Create(sorted);
        ActiveSilos = active.ToImmutable();
        _bySilo = bySilo.ToFrozenDictionary();
    }

    /// <summary>The snapshot before anything was read: version 0, no rows.</summary>
    public static MembershipSnapshot Empty { get; } = new(0, []);

    /// <summary>The table version this snapshot was read at; a newer snapshot has a greater one.</summary>
    public int Version { get; }

    /// <summary>Every row, Dead ones included, ordered by address (ordinal).</summary>
    public ImmutableArray<MembershipEntry> Entries { get; }

    /// <summary>The silos whose status is <see cref="SiloStatus.Active"/>, ordered by address (ordinal).</summary>
    public ImmutableArray<SiloAddress> ActiveSilos { get; }

    /// <summary>The status of <paramref name="silo"/>; <see cref="SiloStatus.None"/> when it has no row.</summary>
    public SiloStatus GetStatus(SiloAddress silo)
        => _bySilo.TryGetValue(silo, out var entry) ? entry.Status : SiloStatus.None;

    /// <summary>Finds the row of <paramref name="silo"/>.</summary>
    public bool TryGetEntry(SiloAddress silo, [NotNullWhen(true)] out MembershipEntry? entry)
        => _bySilo.TryGetValue(silo, out entry);

    /// <summary><c>v12: host:1@5 Active, host:2@6 Dead</c> (for logs).</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append('v').Append(Version).Append(':');
        for (var i = 0; i < Entries.Length; i++)
        {
            text.Append(i == 0 ? " " : ", ").Append(Entries[i].SiloAddress).Append(' ').Append(Entries[i].Status);
        }

        return text.ToString();
    }

    internal static MembershipSnapshot FromTable(MembershipTableData data)
    {
        var entries = new MembershipEntry[data.Entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = data.Entries[i].Entry;
        }

        return new MembershipSnapshot(data.Version.Version, entries);
    }
}
