namespace Cluster.Runtime.Identity;

/// <summary>
/// The identity of a grain: its <see cref="GrainType"/> and a string key (for a route grain, the route pattern).
/// Equality is ordinal on both parts. A grain id has at most one activation in the cluster.
/// </summary>
public readonly struct GrainId : IEquatable<GrainId>
{
    /// <summary>Creates an id.</summary>
    /// <exception cref="ArgumentException">The type is unset or the key is null.</exception>
    public GrainId(GrainType type, string key)
    {
        if (type.IsDefault || type.Name.Length == 0)
        {
            throw new ArgumentException("A grain id needs a grain type with a non-empty name.", nameof(type));
        }

        ArgumentNullException.ThrowIfNull(key);
        Type = type;
        Key = key;
    }

    /// <summary>The grain's type.</summary>
    public GrainType Type { get; }

    /// <summary>The grain's key within its type.</summary>
    public string Key { get; }

    /// <summary>Whether this is the default (unset) value.</summary>
    public bool IsDefault => Type.IsDefault;

    /// <summary>
    /// A hash that is identical on every node and across restarts (type hash × 31 + key hash, both xxHash32), for
    /// placement, directory partitioning and bucketing. Not cached: compute it once per call site that needs it.
    /// </summary>
    public uint GetUniformHashCode() => unchecked((Type.GetUniformHashCode() * 31) + StableHash.Compute(Key ?? string.Empty));

    /// <inheritdoc />
    public bool Equals(GrainId other)
        => string.Equals(Type.Name, other.Type.Name, StringComparison.Ordinal)
        && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GrainId other && Equals(other);

    /// <summary>
    /// An in-process hash for dictionaries only (randomised per process, which is fine there and faster than
    /// <see cref="GetUniformHashCode"/>). Never send it over the wire or persist it.
    /// </summary>
    public override int GetHashCode()
        => HashCode.Combine(
            Type.Name is null ? 0 : StringComparer.Ordinal.GetHashCode(Type.Name),
            Key is null ? 0 : StringComparer.Ordinal.GetHashCode(Key));

    /// <summary><c>type/key</c>.</summary>
    public override string ToString() => string.Concat(Type.Name, "/", Key);

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(GrainId left, GrainId right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(GrainId left, GrainId right) => !left.Equals(right);
}
