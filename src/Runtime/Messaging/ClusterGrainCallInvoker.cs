using System.Runtime.CompilerServices;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Messaging;

/// <summary>
/// Calls grains anywhere in the cluster: computes the owner from the membership view (no directory round trip), runs the
/// call in this process when the owner is the local silo, and sends it over the cluster transport otherwise.
/// <para>
/// Retries follow at-most-once (orleans-runtime.md §0.8): only failures that prove the call never started are retried —
/// the owner refused it (<see cref="SiloUnavailableException"/>: shutting down, unreachable before the request was written)
/// or disowned it in a newer view (<see cref="GrainNotOwnedException"/>). Before each retry the view is refreshed until
/// ownership moves (a draining silo publishes ShuttingDown first; a dead one is voted out), bounded by the response
/// timeout. A call whose outcome is unknown (connection lost after sending, timeout) is never re-sent.
/// </para>
/// <para>
/// Stateless workers (<see cref="GrainPlacement.IsStatelessWorker"/>) have no owner: a call runs on this process's own
/// silo while it is Active in the view, otherwise on the Active silos in turn (round-robin, so a gateway without a silo
/// spreads a hot grain over the cluster); a refused call is sent to the next silo.
/// </para>
/// </summary>
internal sealed partial class ClusterGrainCallInvoker : IGrainCallInvoker
{
    // How long one wait for the owner to change lasts before the same owner is tried again (it may only have been
    // briefly not ready, e.g. between writing Active to the table and taking calls).
    private static readonly TimeSpan s_ownerChangeSlice = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_firstPoll = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan s_maxPoll = TimeSpan.FromMilliseconds(250);

    private readonly GrainPlacement _placement;
    private readonly IClusterTransport _transport;
    private readonly SiloAddress? _localSilo;
    private readonly IGrainCallInvoker? _localInvoker;
    private readonly TimeSpan _retryBudget;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private uint _nextWorkerSilo; // Interlocked: the round-robin position of stateless-worker calls

    public ClusterGrainCallInvoker(
        GrainPlacement placement,
        IClusterTransport transport,
        IOptions<MessagingOptions> options,
        TimeProvider timeProvider,
        ILogger<ClusterGrainCallInvoker> logger,
        LocalSiloCallTarget? localTarget = null)
    {
        _placement = placement;
        _transport = transport;
        _localSilo = localTarget?.SiloAddress;
        _localInvoker = localTarget?.Invoker;
        _retryBudget = options.Value.ResponseTimeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, CancellationToken cancellationToken)
    {
        var view = _placement.Current;
        var owner = Place(view, grainId, avoid: null);
        if (owner is null)
        {
            return InvokeWithRetriesAsync<TRequest, TResponse>(grainId, request, default, null, cancellationToken);
        }

        var pending = Send<TRequest, TResponse>(owner, view.Version, grainId, request, cancellationToken);
        return pending.IsCompletedSuccessfully
            ? pending
            : InvokeWithRetriesAsync(grainId, request, pending, owner, cancellationToken);
    }

    /// <summary>
    /// The silo to run a call on: the grain's owner, or for a stateless worker this process's silo when it is Active,
    /// else the next Active silo in turn other than <paramref name="avoid"/> (the silo that just refused the call) when
    /// there is another. Null when no silo is Active.
    /// </summary>
    private SiloAddress? Place(PlacementView view, GrainId grainId, SiloAddress? avoid)
    {
        if (!_placement.IsStatelessWorker(grainId.Type))
        {
            return view.GetOwner(grainId);
        }

        if (_localSilo is not null && !_localSilo.Equals(avoid) && view.IsActive(_localSilo))
        {
            return _localSilo;
        }

        var silos = view.Silos;
        if (silos.IsEmpty)
        {
            return null;
        }

        var start = Interlocked.Increment(ref _nextWorkerSilo);
        for (var i = 0u; i < (uint)silos.Length; i++)
        {
            var silo = silos[(int)((start + i) % (uint)silos.Length)];
            if (!silo.Equals(avoid))
            {
                return silo;
            }
        }

        // Only the silo that refused is Active: it is tried again once the wait for a view change has passed.
        return silos[0];
    }

    private ValueTask<TResponse> Send<TRequest, TResponse>(
        SiloAddress owner, int viewVersion, GrainId grainId, TRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return _localInvoker is not null && owner.Equals(_localSilo)
                ? _localInvoker.InvokeAsync<TRequest, TResponse>(grainId, request, cancellationToken)
                : _transport.InvokeAsync<TRequest, TResponse>(owner, grainId, request, viewVersion, cancellationToken);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<TResponse>(ex);
        }
    }

    // Every remote call awaits this method (its first pending value is never complete yet), so its state machine is
    // pooled rather than allocated per call.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResponse> InvokeWithRetriesAsync<TRequest, TResponse>(
        GrainId grainId, TRequest request, ValueTask<TResponse> pending, SiloAddress? owner, CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetUtcNow() + _retryBudget;
        while (true)
        {
            if (owner is not null)
            {
                try
                {
                    return await pending.ConfigureAwait(false);
                }
                catch (GrainNotOwnedException ex) when (_timeProvider.GetUtcNow() < deadline)
                {
                    Log.NotOwner(_logger, grainId, owner, ex.OwnerViewVersion);
                    await _placement.Membership.RefreshAsync(ex.OwnerViewVersion, cancellationToken).ConfigureAwait(false);
                }
                catch (SiloUnavailableException ex) when (_timeProvider.GetUtcNow() < deadline)
                {
                    Log.OwnerUnavailable(_logger, grainId, owner, ex.Message);
                    await WaitForOwnerChangeAsync(grainId, owner, deadline, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                Log.NoActiveSilo(_logger, grainId);
                await WaitForOwnerChangeAsync(grainId, null, deadline, cancellationToken).ConfigureAwait(false);
            }

            var view = _placement.Current;
            owner = Place(view, grainId, avoid: owner);
            if (owner is null)
            {
                if (_timeProvider.GetUtcNow() >= deadline)
                {
                    throw new SiloUnavailableException($"No silo of the cluster is active to run {grainId}; the call did not start.");
                }

                continue;
            }

            pending = Send<TRequest, TResponse>(owner, view.Version, grainId, request, cancellationToken);
        }
    }

    /// <summary>
    /// Refreshes the view until the grain's owner is another silo than <paramref name="previousOwner"/> (for a stateless
    /// worker: until another silo is Active), for at most one slice (then the same silo is tried again) and never past
    /// <paramref name="deadline"/>. Concurrent waiters share the membership's reads.
    /// </summary>
    private async Task WaitForOwnerChangeAsync(GrainId grainId, SiloAddress? previousOwner, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var sliceEnd = _timeProvider.GetUtcNow() + s_ownerChangeSlice;
        if (sliceEnd > deadline)
        {
            sliceEnd = deadline;
        }

        var poll = s_firstPoll;
        while (true)
        {
            var view = _placement.Current;
            var owner = Place(view, grainId, avoid: previousOwner);
            if (owner is not null && !owner.Equals(previousOwner))
            {
                return;
            }

            var now = _timeProvider.GetUtcNow();
            if (now >= sliceEnd)
            {
                return;
            }

            await _placement.Membership.RefreshAsync(view.Version + 1, cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(_placement.Current.Snapshot, view.Snapshot))
            {
                continue;
            }

            var wait = sliceEnd - now < poll ? sliceEnd - now : poll;
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            poll = poll + poll > s_maxPoll ? s_maxPoll : poll + poll;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4150, LogLevel.Debug, "Silo {Owner} does not own {GrainId} in membership version {OwnerViewVersion}; refreshing the view and sending again.")]
        public static partial void NotOwner(ILogger logger, GrainId grainId, SiloAddress owner, int ownerViewVersion);

        [LoggerMessage(4151, LogLevel.Debug, "Silo {Owner} did not start the call to {GrainId} ({Reason}); waiting for the view to move ownership, then sending again.")]
        public static partial void OwnerUnavailable(ILogger logger, GrainId grainId, SiloAddress owner, string reason);

        [LoggerMessage(4152, LogLevel.Debug, "No silo is active to run {GrainId}; waiting for one to join.")]
        public static partial void NoActiveSilo(ILogger logger, GrainId grainId);
    }
}
