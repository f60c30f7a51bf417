using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>Joining the cluster: endpoint clean-up, this silo's row, the connectivity check, Active.</summary>
internal sealed partial class MembershipAgent
{
    private int _joinStarted;

    // The silos the last connectivity check could not reach, for the join's failure message.
    private string _unreachable = string.Empty;

    /// <summary>
    /// Joins the cluster: initializes the table; declares older generations on this endpoint dead (and fails if a newer
    /// one exists); inserts this silo as Joining; probes every active, non-stale silo until all answer; writes itself
    /// Active and tells its peers. The background loops (I-am-alive, refresh, probing) start once the row exists. The
    /// whole join is bounded by <see cref="ClusterMembershipOptions.MaxJoinAttemptTime"/>.
    /// </summary>
    /// <exception cref="MembershipJoinException">The silo must not serve (see the exception); its row, if written, is left Dead.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _joinStarted, 1) != 0)
        {
            throw new InvalidOperationException($"Silo {LocalSilo} has already joined or tried to; a new attempt needs a new silo (generation).");
        }

        Log.Joining(_logger, LocalSilo.ToString());
        using var deadline = new CancellationTokenSource(_options.MaxJoinAttemptTime, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _stoppingToken);
        var token = linked.Token;
        try
        {
            await RetryStoreAsync(
                "initialize the table",
                async ct =>
                {
                    await _table.InitializeAsync(ct);
                    return true;
                },
                token);
            await RetryStoreAsync("clean up this endpoint", CleanUpEndpointAsync, token);
            await RetryStoreAsync("insert this silo's row", InsertRowAsync, token);
            StartLoops();
            await ValidateConnectivityAsync(token);
            await RetryStoreAsync("write this silo Active", BecomeActiveAsync, token);
        }
        catch (Exception ex)
        {
            await AbandonJoinAsync();
            if (ex is MembershipJoinException)
            {
                throw;
            }

            if (IsTerminated)
            {
                throw new MembershipJoinException($"Silo {LocalSilo} was declared dead while joining.", ex);
            }

            if (ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // A silo that cannot reach its peers must not join one side of a partition.
                var unreachable = Volatile.Read(ref _unreachable);
                throw new MembershipJoinException(
                    $"Silo {LocalSilo} did not join within {ClusterMembershipOptions.SectionName}:{nameof(ClusterMembershipOptions.MaxJoinAttemptTime)} ({_options.MaxJoinAttemptTime})"
                    + (unreachable.Length > 0 ? $": {unreachable} did not answer probes." : "."),
                    ex);
            }

            throw;
        }

        Log.Active(_logger, LocalSilo.ToString(), _view.Current.Version);
    }

    private async Task<bool> CleanUpEndpointAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var data = await _view.ReadAsync(cancellationToken);
            (MembershipEntry Entry, string ETag)? older = null;
            foreach (var row in data.Entries)
            {
                var address = row.Entry.SiloAddress;
                if (row.Entry.Status == SiloStatus.Dead || !address.IsSameEndpoint(LocalSilo))
                {
                    continue;
                }

                if (address.Generation >= LocalSilo.Generation)
                {
                    Log.NewerGenerationExists(_logger, LocalSilo.ToString(), address.ToString(), row.Entry.Status);
                    throw new MembershipJoinException(
                        $"Silo {address} ({row.Entry.Status}) is registered on this silo's endpoint with a generation not older than "
                        + $"this process's ({LocalSilo}): this process is the stale one and must not join.");
                }

                older ??= row;
            }

            if (older is not { } stale)
            {
                return true;
            }

            // An older generation on my endpoint is a previous incarnation of this process (restart): it cannot be alive.
            // This silo signs the death like a vote, so peers treat it as a failure (drop its connections) and not as a
            // graceful exit.
            var next = data.Version.Next();
            var dead = stale.Entry with
            {
                Status = SiloStatus.Dead,
                SuspectTimes = stale.Entry.SuspectTimes.Add(new SuspectVote(LocalSilo, _timeProvider.GetUtcNow())),
            };
            if (await _table.UpdateRowAsync(dead, stale.ETag, next, cancellationToken))
            {
                Log.OlderGenerationDeclaredDead(_logger, stale.Entry.SiloAddress.ToString(), stale.Entry.SiloName, LocalSilo.ToString());
                await PublishAfterWriteAsync(next.Version);
            }
        }
    }

    private async Task<bool> InsertRowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var data = await _view.ReadAsync(cancellationToken);
            foreach (var row in data.Entries)
            {
                if (row.Entry.SiloAddress.Equals(LocalSilo))
                {
                    // An earlier attempt's insert committed although its answer was lost.
                    if (row.Entry.Status != SiloStatus.Joining)
                    {
                        throw new MembershipJoinException($"Silo {LocalSilo} already has a {row.Entry.Status} row; it cannot join again.");
                    }

                    OnRowInserted(data.Version.Version);
                    return true;
                }
            }

            var now = _timeProvider.GetUtcNow();
            var entry = new MembershipEntry
            {
                SiloAddress = LocalSilo,
                Status = SiloStatus.Joining,
                SiloName = _siloName,
                HostName = Environment.MachineName,
                StartTime = now,
                IAmAliveTime = now,
            };
            var next = data.Version.Next();
            if (await _table.InsertRowAsync(entry, next, cancellationToken))
            {
                OnRowInserted(next.Version);
                await PublishAfterWriteAsync(next.Version);
                return true;
            }
        }
    }

    private void OnRowInserted(int version)
    {
        TryAdvance(SiloStatus.Joining);
        Volatile.Write(ref _rowVersion, version);
    }

    private async Task ValidateConnectivityAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _view.ReadAsync(cancellationToken);
                _refresher.ClearStoreFailures();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The last view is still good enough to probe from.
                _refresher.ReportStoreFailure("read the table to validate connectivity", ex);
            }

            var now = _timeProvider.GetUtcNow();
            var targets = new List<SiloAddress>();
            foreach (var entry in _view.Current.Entries)
            {
                // Stale rows are left to the probers (votes); requiring them would block a whole-cluster restart.
                if (entry.Status == SiloStatus.Active && !entry.SiloAddress.Equals(LocalSilo) && !entry.IsStale(now, _options))
                {
                    targets.Add(entry.SiloAddress);
                }
            }

            if (targets.Count == 0)
            {
                return;
            }

            var probes = new Task<bool>[targets.Count];
            for (var i = 0; i < probes.Length; i++)
            {
                probes[i] = ProbeOnceAsync(targets[i], cancellationToken);
            }

            var results = await Task.WhenAll(probes);
            var failed = new List<SiloAddress>();
            for (var i = 0; i < results.Length; i++)
            {
                if (!results[i])
                {
                    failed.Add(targets[i]);
                }
            }

            if (failed.Count == 0)
            {
                Log.ConnectivityValidated(_logger, LocalSilo.ToString(), targets.Count);
                return;
            }

            var unreachable = string.Join(", ", failed);
            Volatile.Write(ref _unreachable, unreachable);
            Log.ConnectivityFailed(_logger, LocalSilo.ToString(), unreachable, attempt);
            await Task.Delay(_options.ProbePeriod, _timeProvider, cancellationToken);
        }
    }

    private async Task<bool> ProbeOnceAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        try
        {
            return await _transport.ProbeAsync(target, _options.ProbeTimeout, cancellationToken)
                .WaitAsync(_options.ProbeTimeout + _options.ProbeTimeout, _timeProvider, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.JoinProbeFailed(_logger, target.ToString(), ex);
            return false;
        }
    }

    private async Task<bool> BecomeActiveAsync(CancellationToken cancellationToken)
    {
        if (!await WriteOwnStatusAsync(SiloStatus.Active, cancellationToken))
        {
            throw new MembershipJoinException($"Silo {LocalSilo} was declared dead while joining.");
        }

        TryAdvance(SiloStatus.Active);
        UpdateMonitors();
        return true;
    }

    private async Task AbandonJoinAsync()
    {
        TryAdvance(SiloStatus.Dead);
        StopProbing();

        // Best effort: a row left Joining would otherwise wait to go stale before others vote it out.
        if (!IsTerminated && Volatile.Read(ref _rowVersion) != int.MaxValue)
        {
            using var timeout = new CancellationTokenSource(_options.ProbeTimeout + _options.ProbeTimeout, _timeProvider);
            try
            {
                await WriteOwnStatusAsync(SiloStatus.Dead, timeout.Token);
            }
            catch (Exception ex)
            {
                Log.AbandonWriteFailed(_logger, LocalSilo.ToString(), ex);
            }
        }

        await StopLoopsAsync();
    }
}
