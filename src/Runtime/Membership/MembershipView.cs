using Cluster.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Membership;

/// <summary>
/// The current <see cref="MembershipSnapshot"/> of this process and the only way to change it: a volatile field swapped
/// whole, never to a lower version, plus single-flight table reads. Shared by <see cref="MembershipAgent"/> (silo) and
/// <see cref="MembershipClient"/> (gateway).
/// </summary>
internal sealed partial class MembershipView
{
    private readonly IMembershipTable _table;
    private readonly ILogger _logger;
    private readonly Action<MembershipSnapshot, MembershipSnapshot, bool>? _afterPublish;
    private readonly CancellationToken _lifetime;
    private readonly MembershipMetrics? _metrics;

    // Publishing is rare (a table write somewhere in the cluster), so a lock keeps views and Changed in version order.
    private readonly Lock _publishLock = new();
    private readonly Lock _readLock = new();
    private volatile MembershipSnapshot _current = MembershipSnapshot.Empty;
    private TaskCompletionSource? _sharedRead;

    /// <param name="table">The table to read.</param>
    /// <param name="logger">Where failing <see cref="Changed"/> handlers are logged.</param>
    /// <param name="afterPublish">
    /// Called after every publish with (previous, published, whether it is newer), outside the lock and possibly on
    /// several threads at once; a same-version publish refreshes I-am-alive times only.
    /// </param>
    /// <param name="lifetime">Cancels shared reads when the owner stops (one caller's token must not cancel a read others wait on).</param>
    /// <param name="metrics">Counts each newer view and the status changes it carries (the one place silos and gateways both publish through).</param>
    public MembershipView(
        IMembershipTable table,
        ILogger logger,
        Action<MembershipSnapshot, MembershipSnapshot, bool>? afterPublish,
        CancellationToken lifetime,
        MembershipMetrics? metrics = null)
    {
        _table = table;
        _logger = logger;
        _afterPublish = afterPublish;
        _lifetime = lifetime;
        _metrics = metrics;
    }

    public MembershipSnapshot Current => _current;

    public event Action<MembershipSnapshot>? Changed;

    /// <summary>See <see cref="IClusterMembership.RefreshAsync"/>.</summary>
    public async Task RefreshAsync(int minVersion, CancellationToken cancellationToken)
    {
        if (_current.Version >= minVersion)
        {
            return;
        }

        await GetOrStartSharedRead(out var started).WaitAsync(cancellationToken);
        if (started || _current.Version >= minVersion)
        {
            return;
        }

        // The read we joined may have started before the write we were told about; the next one starts after our call.
        await GetOrStartSharedRead(out _).WaitAsync(cancellationToken);
    }

    /// <summary>Re-reads the table now (joining a read already under way) and publishes what it read.</summary>
    public Task RefreshNowAsync(CancellationToken cancellationToken)
        => GetOrStartSharedRead(out _).WaitAsync(cancellationToken);

    /// <summary>Reads the whole table on the caller's behalf (not shared), publishes it and returns it with its etags.</summary>
    public async Task<MembershipTableData> ReadAsync(CancellationToken cancellationToken)
    {
        var data = await _table.ReadAllAsync(cancellationToken);
        Publish(MembershipSnapshot.FromTable(data));
        return data;
    }

    /// <summary>
    /// Makes <paramref name="snapshot"/> current unless a newer one is; at the same version it replaces the current one
    /// silently (only I-am-alive times can differ) so staleness is judged on the latest read.
    /// </summary>
    public void Publish(MembershipSnapshot snapshot)
    {
        MembershipSnapshot previous;
        bool newer;
        lock (_publishLock)
        {
            previous = _current;
            if (snapshot.Version < previous.Version)
            {
                return;
            }

            newer = snapshot.Version > previous.Version;
            _current = snapshot;
            if (newer)
            {
                // Under the lock, so the metrics see views in version order and diff each against the one it replaced.
                _metrics?.ViewPublished(previous, snapshot);
                RaiseChanged(snapshot);
            }
        }

        _afterPublish?.Invoke(previous, snapshot, newer);
    }

    private void RaiseChanged(MembershipSnapshot snapshot)
    {
        if (Changed is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            // A handler may have caused a newer view to be published (the lock is re-entrant); the older one stops here.
            if (!ReferenceEquals(_current, snapshot))
            {
                return;
            }

            try
            {
                ((Action<MembershipSnapshot>)handler)(snapshot);
            }
            catch (Exception ex)
            {
                Log.ChangedHandlerFailed(_logger, snapshot.Version, ex);
            }
        }
    }

    private Task GetOrStartSharedRead(out bool started)
    {
        TaskCompletionSource source;
        lock (_readLock)
        {
            if (_sharedRead is { } inFlight)
            {
                started = false;
                return inFlight.Task;
            }

            source = _sharedRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        started = true;
        _ = RunSharedReadAsync(source);
        return source.Task;
    }

    private async Task RunSharedReadAsync(TaskCompletionSource source)
    {
        Exception? error = null;
        try
        {
            await ReadAsync(_lifetime);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        // Cleared before completing, so a waiter that needs a newer read starts a new one instead of re-joining this one.
        lock (_readLock)
        {
            _sharedRead = null;
        }

        switch (error)
        {
            case null:
                source.SetResult();
                break;
            case OperationCanceledException canceled:
                source.SetCanceled(canceled.CancellationToken);
                break;
            default:
                source.SetException(error);

                // Marks the failure observed: a waiter that gave up (its own token) must not leave it unobserved.
                _ = source.Task.Exception;
                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4390, LogLevel.Error, "A membership Changed handler failed for version {Version}; the other handlers still ran.")]
        public static partial void ChangedHandlerFailed(ILogger logger, int version, Exception exception);
    }
}
