namespace Cluster.Runtime;

/// <summary>
/// The silo a call was sent to does not own the grain in its membership view. The call did not start; the caller
/// refreshes its view (to at least <see cref="OwnerViewVersion"/>) and sends it to the owner.
/// </summary>
public sealed class GrainNotOwnedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrainNotOwnedException(int ownerViewVersion)
        : base($"This silo does not own the grain in membership version {ownerViewVersion}; the call did not start.")
        => OwnerViewVersion = ownerViewVersion;

    /// <summary>The membership version of the silo that refused the call.</summary>
    public int OwnerViewVersion { get; }
}
