namespace Cluster.Runtime.Identity;

/// <summary>
/// Identifies one activation of a grain. A grain that is collected and called again gets a new activation id, which is
/// how a directory (a later issue) tells a stale registration from the current one.
/// </summary>
/// <param name="Value">The id's value.</param>
public readonly record struct ActivationId(Guid Value)
{
    /// <summary>A new, unique activation id.</summary>
    public static ActivationId NewId() => new(Guid.NewGuid());

    /// <inheritdoc />
    public override string ToString() => Value.ToString("N");
}
