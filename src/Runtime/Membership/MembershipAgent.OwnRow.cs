using Cluster.Runtime.Hosting;

namespace Cluster.Runtime.Membership;

/// <summary>This silo's own row: I-am-alive, status writes, the graceful leave, and self-termination once the table says it is dead.</summary>
internal sealed partial class MembershipAgent
{
    /// <summary>
    /// Graceful stop, first step: writes this silo ShuttingDown (others stop placing work here) and tells its peers.
    /// Probing stops (only joining and active silos probe); the view keeps refreshing until <see cref="LeaveAsync"/>.
    /// </summary>
    public async Task ShutDownAsync(CancellationToken cancellationToken)
    {
        if (IsTerminated || !TryAdvance(SiloStatus.ShuttingDown))
        {
            return;
        }

        StopProbing();
        if (Volatile.Read(ref _rowVersion) != int.MaxValue)
        {
            await RetryStoreAsync("write this silo ShuttingDown", ct => WriteOwnStatusAsync(SiloStatus.ShuttingDown, ct), cancellationToken);
        }

        Log.ShuttingDown(_logger, LocalSilo.ToString());
    }

    /// <summary>
    /// Graceful stop, last step: writes this silo Dead, tells its peers and stops every loop. Nothing is written if the
    /// table already declared this silo dead.
    /// </summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        var wasTerminated = IsTerminated;
        TryAdvance(SiloStatus.Dead);
        StopProbing();
        try
        {
            if (!wasTerminated && Volatile.Read(ref _rowVersion) != int.MaxValue)
            {
                await RetryStoreAsync("write this silo Dead", ct => WriteOwnStatusAsync(SiloStatus.Dead, ct), cancellationToken);
                Log.Left(_logger, LocalSilo.ToString());
            }
        }
        finally
        {
            await StopLoopsAsync();
        }
    }

    private async Task RunIAmAliveLoopAsync(CancellationToken cancellationToken)
    {
        var failures = 0;

        // The insert wrote the first I-am-alive time; jitter spreads the writes of silos that started together.
        var delay = _options.IAmAlivePeriod * (0.5 + (Random.Shared.NextDouble() / 2));
        try
        {
            while (true)
            {
                await Task.Delay(delay, _timeProvider, cancellationToken);
                try
                {
                    await _table.UpdateIAmAliveAsync(LocalSilo, _timeProvider.GetUtcNow(), cancellationToken);
                    failures = 0;
                    _refresher.ReportStoreSuccess();
                    delay = _options.IAmAlivePeriod;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    _refresher.ReportStoreFailure("write I-am-alive", ex);
                    delay = StoreFailureBackoff.GetRetryDelay(failures, _options.IAmAlivePeriod);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>
    /// Moves this silo's row forward to <paramref name="status"/> by compare-and-swap. Returns false if the row is Dead
    /// (someone declared this silo dead) or gone; true once the row is at or past <paramref name="status"/>.
    /// </summary>
    private async Task<bool> WriteOwnStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The check right before the write: a silo the table declared dead never writes itself back.
            if (IsTerminated && status != SiloStatus.Dead)
            {
                return false;
            }

            var data = await _table.ReadRowAsync(LocalSilo, cancellationToken);
            if (data.Entries.IsDefaultOrEmpty)
            {
                if (status != SiloStatus.Dead)
                {
                    Terminate($"Silo {LocalSilo} has no row in the membership table (version {data.Version.Version}); it was removed.");
                }

                return false;
            }

            var (entry, etag) = data.Entries[0];
            if (entry.Status == SiloStatus.Dead)
            {
                if (status != SiloStatus.Dead)
                {
                    Terminate(DescribeDeath(entry, data.Version.Version));
                }

                return status == SiloStatus.Dead;
            }

            if (entry.Status >= status)
            {
                return true;
            }

            var next = data.Version.Next();
            if (await _table.UpdateRowAsync(entry with { Status = status }, etag, next, cancellationToken))
            {
                Log.OwnStatusWritten(_logger, LocalSilo.ToString(), status, next.Version);
                await PublishAfterWriteAsync(next.Version);
                return true;
            }
        }
    }

    private string DescribeDeath(MembershipEntry own, int version)
    {
        var voters = string.Join(", ", own.SuspectTimes.Select(static vote => vote.Voter.ToString()));
        return voters.Length == 0
            ? $"Silo {LocalSilo} is Dead in membership version {version}."
            : $"Silo {LocalSilo} is Dead in membership version {version} (votes from {voters}).";
    }

    /// <summary>
    /// Self-termination: the table says this silo is dead, so the cluster has moved its work elsewhere. Stop probing and
    /// writing at once, and stop the process; the row is never written again.
    /// </summary>
    private void Terminate(string reason)
    {
        if (Interlocked.Exchange(ref _terminated, 1) != 0)
        {
            return;
        }

        TryAdvance(SiloStatus.Dead);
        Log.SelfTerminating(_logger, LocalSilo.ToString(), reason);
        StopProbing();

        // Off this thread: it may be a table read's continuation or a Changed handler, and stopping runs callbacks.
        _ = Task.Run(
            async () =>
            {
                await _stopping.CancelAsync();
                if (_terminator is null)
                {
                    Log.NoTerminator(_logger, LocalSilo.ToString());
                    return;
                }

                try
                {
                    _terminator.Terminate(reason);
                }
                catch (Exception ex)
                {
                    Log.TerminatorFailed(_logger, ex);
                }
            },
            CancellationToken.None);
    }
}
