namespace Cluster.Runtime.Membership;

/// <summary>
/// The membership table's version: every insert, status change and vote bumps it by exactly one, conditioned on the
/// version the writer read (compare-and-swap). I-am-alive writes never change it.
/// </summary>
/// <param name="Version">The version number; 0 for a new table.</param>
/// <param name="ETag">The store's token for the version row (providers may use the version number itself).</param>
public readonly record struct TableVersion(int Version, string ETag)
{
    /// <summary>The version a writer proposes after reading this one.</summary>
    public TableVersion Next() => new(Version + 1, ETag);
}
