using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Activation;

/// <summary>The admission of a silo that is the whole cluster: every grain is its own.</summary>
internal sealed class AdmitAll : IActivationAdmission
{
    public static AdmitAll Instance { get; } = new();

    public bool MayActivate(GrainId grainId) => true;
}
