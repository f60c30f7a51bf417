using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>An <see cref="ISiloStatus"/> that only carries an address.</summary>
internal sealed class FixedSiloStatus(SiloAddress siloAddress) : ISiloStatus
{
    public SiloAddress SiloAddress { get; } = siloAddress;

    public SiloStatus Status => SiloStatus.Created;

    public bool IsReady => false;
}
