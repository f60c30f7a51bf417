namespace Cluster.Runtime.Identity;

/// <summary>
/// The kind of a grain (e.g. <c>route</c>): the first half of a <see cref="GrainId"/>. Compared ordinally; the name is
/// what crosses process boundaries, so it must never change once grains of the type have been called.
/// </summary>
/// <param name="Name">A non-empty name, unique per silo.</param>
public readonly record struct GrainType(string Name)
{
    /// <summary>Whether this is the default (unset) value.</summary>
    public bool IsDefault => Name is null;

    /// <summary>The stable hash of the name (xxHash32 over UTF-8), identical in every process.</summary>
    public uint GetUniformHashCode() => StableHash.Compute(Name ?? string.Empty);

    /// <inheritdoc />
    public override string ToString() => Name ?? string.Empty;
}
