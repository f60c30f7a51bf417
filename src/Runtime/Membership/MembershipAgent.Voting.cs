using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>Death votes against a silo that missed too many probes (orleans-runtime.md §1.5).</summary>
internal sealed partial class MembershipAgent
{
    // Conflicts in a row before a vote is given up until the next missed probe (each conflict means progress elsewhere).
    private const int MaxVoteAttempts = 5;

    private readonly SemaphoreSlim _voteLock = new(1, 1);

    private bool CanVote => !IsTerminated && LocalStatus is SiloStatus.Joining or SiloStatus.Active;

    private async Task OnMissedLimitAsync(SiloAddress target, int failures)
    {
        // The vote runs on the agent's token, not the monitor's: a view published mid-vote may stop this monitor (the
        // target just died) and the peers must still be told.
        await _voteLock.WaitAsync(_stoppingToken);
        try
        {
            await TrySuspectOrKillAsync(target, failures);
        }
        finally
        {
            _voteLock.Release();
        }
    }

    private async Task TrySuspectOrKillAsync(SiloAddress target, int failures)
    {
        try
        {
            for (var attempt = 0; attempt < MaxVoteAttempts; attempt++)
            {
                if (!CanVote)
                {
                    return;
                }

                var data = await _view.ReadAsync(_stoppingToken);
                _refresher.ReportStoreSuccess();

                // The read may have shown this silo dead (it then stopped) or the target already gone.
                if (!CanVote)
                {
                    return;
                }

                (MembershipEntry Entry, string ETag)? found = null;
                foreach (var row in data.Entries)
                {
                    if (row.Entry.SiloAddress.Equals(target))
                    {
                        found = row;
                        break;
                    }
                }

                if (found is not { } targetRow || targetRow.Entry.Status == SiloStatus.Dead)
                {
                    return;
                }

                var now = _timeProvider.GetUtcNow();
                var required = DeathVoting.GetRequiredVotes(data.Entries.Select(static row => row.Entry), now, _options);
                var decision = DeathVoting.Decide(targetRow.Entry, LocalSilo, required, now, _options);
                if (decision.Outcome == VoteOutcome.AlreadyVoted)
                {
                    return;
                }

                var next = data.Version.Next();
                if (await _table.UpdateRowAsync(decision.Entry!, targetRow.ETag, next, _stoppingToken))
                {
                    if (decision.Outcome == VoteOutcome.DeclareDead)
                    {
                        Log.DeclaredDead(_logger, target.ToString(), failures, decision.FreshVotes, decision.RequiredVotes, next.Version);
                    }
                    else
                    {
                        Log.Voted(_logger, target.ToString(), failures, decision.FreshVotes, decision.RequiredVotes, next.Version);
                    }

                    await PublishAfterWriteAsync(next.Version);
                    return;
                }

                Log.VoteConflict(_logger, target.ToString(), next.Version);
            }
        }
        catch (OperationCanceledException) when (_stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            // The store is down: nobody can be declared dead until it is back (safety over liveness).
            _refresher.ReportStoreFailure($"vote against silo {target}", ex);
        }
    }
}
