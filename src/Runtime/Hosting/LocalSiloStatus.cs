using Cluster.Runtime.Identity;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>The local silo's status; moves forward only, read lock-free on every call.</summary>
internal sealed class LocalSiloStatus : ISiloStatus, IClusterReadiness
{
    private int _status = (int)SiloStatus.Created;

    public LocalSiloStatus(IOptions<SiloOptions> options, TimeProvider timeProvider)
    {
        var value = options.Value;
        SiloAddress = SiloAddress.CreateLocal(value.AdvertisedHost, value.Port, timeProvider);
    }

    public SiloAddress SiloAddress { get; }

    public SiloStatus Status => (SiloStatus)Volatile.Read(ref _status);

    public bool IsReady => Volatile.Read(ref _status) == (int)SiloStatus.Active;

    string IClusterReadiness.State => Status.ToString();

    /// <summary>
    /// Whether calls may run here: Active, or Joining — no caller places grains on a joining silo, but one that has just
    /// written Active to the table takes calls before its local status catches up.
    /// </summary>
    public bool AcceptsCalls => Volatile.Read(ref _status) is (int)SiloStatus.Joining or (int)SiloStatus.Active;

    /// <summary>Moves to <paramref name="next"/> if that is forward; returns whether it moved.</summary>
    public bool TryAdvance(SiloStatus next) => SiloStatusTransitions.TryAdvance(ref _status, next);

    public SiloUnavailableException CreateUnavailableException()
        => new($"Silo {SiloAddress} is {Status} and did not start the request; it may be retried on another silo.");
}
