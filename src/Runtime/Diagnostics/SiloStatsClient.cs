using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// Asks a silo for its <see cref="SiloStats"/>: this process's own silo through its <see cref="SiloStatsProvider"/>
/// (no network; an embedded silo has none), any other by the grain message <see cref="SiloStatsGrain.MessageName"/> sent
/// straight to that silo's address over the cluster transport. The call is never re-sent: a statistics read that fails
/// is simply asked again at the next refresh.
/// </summary>
/// <remarks>
/// A silo that is Dead or absent in this process's membership view is refused at once, without a connection attempt, so
/// a dashboard that lists departed silos never waits on them. Every failure of the remote call surfaces as the
/// interface documents: not reached, refused, lost after sending or failed on the silo →
/// <see cref="SiloUnavailableException"/>; no answer in time → <see cref="TimeoutException"/>; the caller's token →
/// <see cref="OperationCanceledException"/>.
/// </remarks>
internal sealed class SiloStatsClient : ISiloStatsClient
{
    private readonly SiloStatsProvider? _local;
    private readonly IClusterTransport? _transport;
    private readonly IClusterMembership? _membership;

    /// <param name="local">This process's silo, if it hosts one.</param>
    /// <param name="transport">The cluster transport; null when the process has no peers (a silo alone, embedded).</param>
    /// <param name="membership">The membership view; null exactly when <paramref name="transport"/> is.</param>
    public SiloStatsClient(SiloStatsProvider? local, IClusterTransport? transport, IClusterMembership? membership)
    {
        _local = local;
        _transport = transport;
        _membership = membership;
    }

    /// <inheritdoc />
    public async Task<SiloStats> GetAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        cancellationToken.ThrowIfCancellationRequested();
        if (_local is not null && silo.Equals(_local.Silo))
        {
            return _local.Capture();
        }

        if (_transport is null || _membership is null)
        {
            throw new SiloUnavailableException(
                $"Silo {silo} is not this process's silo, and this process has no cluster peers (its membership table is private to it).");
        }

        var view = _membership.Current;
        var status = view.GetStatus(silo);
        if (status is SiloStatus.None or SiloStatus.Dead)
        {
            throw new SiloUnavailableException(status == SiloStatus.None
                ? $"Silo {silo} is not a member of the cluster in membership version {view.Version}."
                : $"Silo {silo} is Dead in membership version {view.Version}.");
        }

        try
        {
            return await _transport.InvokeAsync<SiloStatsRequest, SiloStats>(
                silo, SiloStatsGrain.Id, SiloStatsRequest.Instance, view.Version, cancellationToken).ConfigureAwait(false);
        }
        catch (SiloConnectionLostException ex)
        {
            throw new SiloUnavailableException($"The connection to silo {silo} was lost before it reported its statistics.", ex);
        }
        catch (Exception ex) when (ex is RemoteGrainException or GrainNotOwnedException)
        {
            // The silo ran the request and failed, or did not take it as a stateless worker (a build without it): either
            // way it cannot report now.
            throw new SiloUnavailableException($"Silo {silo} did not report its statistics: {ex.Message}", ex);
        }
    }
}
