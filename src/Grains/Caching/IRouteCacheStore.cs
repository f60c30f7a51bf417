using System.Diagnostics.CodeAnalysis;

namespace Cluster.Grains.Caching;

/// <summary>
/// The silo's cached route responses, one store for all its route grains so one cap (<c>Cluster:Cache:MaxBytes</c>)
/// bounds them all. Entries are keyed by (route pattern, path). Entries outlive an activation collected for idleness (its
/// next activation on this silo finds them); an activation that leaves because its route moves hands them over and removes
/// them. Thread-safe.
/// </summary>
internal interface IRouteCacheStore
{
    /// <summary>The bytes held now.</summary>
    long Bytes { get; }

    /// <summary>The number of entries held now.</summary>
    int Count { get; }

    /// <summary>The entry of a path, marking it recently used.</summary>
    bool TryGet(string pattern, string path, [NotNullWhen(true)] out RouteCacheEntry? entry);

    /// <summary>Stores (or replaces) the entry of a path, then evicts least-recently-used entries while over the cap.</summary>
    void Set(string pattern, string path, RouteCacheEntry entry);

    /// <summary>Stores <paramref name="entry"/> only if there is none for the path or the one there has a lower version.</summary>
    bool SetIfNewer(string pattern, string path, RouteCacheEntry entry);

    /// <summary>Removes the entry of a path; whether there was one.</summary>
    bool Remove(string pattern, string path);

    /// <summary>Removes every entry of a route; how many there were.</summary>
    int RemoveAll(string pattern);

    /// <summary>The entries of a route now (path → entry), e.g. to hand them over to the route's next owner.</summary>
    IReadOnlyList<KeyValuePair<string, RouteCacheEntry>> EntriesOf(string pattern);

    /// <summary>
    /// Records that the route's activation left while this silo owned it (idle collection) and kept its entries, at
    /// membership view <paramref name="viewVersion"/>: the next activation keeps them only if the view has not changed
    /// since, because a view change may have moved the route away and back, and another owner may have invalidated it
    /// meanwhile.
    /// </summary>
    void Park(string pattern, int viewVersion);

    /// <summary>Takes the record <see cref="Park"/> left for the route, if any.</summary>
    bool TryUnpark(string pattern, out int viewVersion);
}
