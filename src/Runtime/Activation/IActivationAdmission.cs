using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Activation;

/// <summary>Decides whether this silo may create an activation of a grain (in a cluster: whether it owns the grain).</summary>
internal interface IActivationAdmission
{
    /// <summary>Whether a new activation of <paramref name="grainId"/> may be created here now.</summary>
    bool MayActivate(GrainId grainId);
}
