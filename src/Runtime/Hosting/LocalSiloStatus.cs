using Cluster.Runtime.Identity;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>
/// The local silo's status; moves forward only, read lock-free on every call. As <see cref="IClusterReadiness"/> it is
/// ready while Active and not warming up (start-up tasks running); as <see cref="ISiloStatus"/> ready means Active.
/// </summary>
internal sealed class LocalSiloStatus : ISiloStatus, IClusterReadiness
{
    /// <summary>What readiness says while an Active silo runs its start-up tasks.</summary>
    public const string WarmingUpState = "WarmingUp";

    private int _status = (int)SiloStatus.Created;
    private int _warmingUp;

    public LocalSiloStatus(IOptions<SiloOptions> options, TimeProvider timeProvider)
    {
        var value = options.Value;
        SiloAddress = SiloAddress.CreateLocal(value.AdvertisedHost, value.Port, timeProvider);
    }

    public SiloAddress SiloAddress { get; }

    public SiloStatus Status => (SiloStatus)Volatile.Read(ref _status);

    public bool IsReady => Volatile.Read(ref _status) == (int)SiloStatus.Active;

    /// <summary>Whether start-up tasks are still running (<see cref="ISiloStartupTask"/>).</summary>
    public bool IsWarmingUp => Volatile.Read(ref _warmingUp) != 0;

    // Ready to serve: Active (so it takes calls, which start-up tasks themselves need) and done warming up.
    bool IClusterReadiness.IsReady => IsReady && !IsWarmingUp;

    string IClusterReadiness.State => IsReady && IsWarmingUp ? WarmingUpState : Status.ToString();

    /// <summary>
    /// Whether calls may run here: Active, or Joining — no caller places grains on a joining silo, but one that has just
    /// written Active to the table takes calls before its local status catches up.
    /// </summary>
    public bool AcceptsCalls => Volatile.Read(ref _status) is (int)SiloStatus.Joining or (int)SiloStatus.Active;

    /// <summary>Start-up tasks are about to run: readiness stays false once Active, until <see cref="EndWarmUp"/>.</summary>
    public void BeginWarmUp() => Volatile.Write(ref _warmingUp, 1);

    /// <summary>Start-up tasks have finished (or failed, or timed out): readiness follows the status again.</summary>
    public void EndWarmUp() => Volatile.Write(ref _warmingUp, 0);

    /// <summary>Moves to <paramref name="next"/> if that is forward; returns whether it moved.</summary>
    public bool TryAdvance(SiloStatus next) => SiloStatusTransitions.TryAdvance(ref _status, next);

    public SiloUnavailableException CreateUnavailableException()
        => new($"Silo {SiloAddress} is {Status} and did not start the request; it may be retried on another silo.");
}
