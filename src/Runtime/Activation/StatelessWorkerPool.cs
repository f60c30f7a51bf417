using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Activation;

/// <summary>
/// The workers of one stateless-worker grain id on this silo (orleans-runtime.md §2.5, StatelessWorker row): several
/// activations of the same grain id, none registered anywhere, each with its own instance, mailbox and reentrancy.
/// <para>
/// A call goes to an idle worker (nothing running or waiting) — the first one in creation order, so light traffic keeps
/// to the oldest workers and the others idle out and are collected like any activation. When every worker is busy and
/// the pool is below <see cref="GrainTypeRegistration.MaxLocalWorkers"/>, a new worker is created for the call;
/// otherwise the call goes to the least-loaded worker (it queues there, or interleaves on a reentrant worker).
/// </para>
/// <para>
/// The worker list is an array replaced whole under the pool's lock and read without it: the idle path takes only the
/// chosen worker's own lock, a full pool of busy workers takes none, and the pool's lock is taken only while the pool
/// may grow. A pool whose last worker left is retired (removed from the catalog under its lock); a caller still holding
/// it goes back to the catalog, which creates a new pool.
/// </para>
/// </summary>
internal sealed class StatelessWorkerPool
{
    private readonly Lock _lock = new();
    private readonly ActivationCatalog _catalog;
    private readonly GrainTypeRegistration _registration;
    private ActivationData[] _workers = [];
    private bool _retired; // under _lock

    public StatelessWorkerPool(GrainId grainId, GrainTypeRegistration registration, ActivationCatalog catalog)
    {
        GrainId = grainId;
        _registration = registration;
        _catalog = catalog;
    }

    public GrainId GrainId { get; }

    /// <summary>The most workers this pool keeps at once (deactivating ones excepted).</summary>
    public int MaxWorkers => _registration.MaxLocalWorkers;

    /// <summary>The workers now (a snapshot, including any that are still activating or already deactivating).</summary>
    public IReadOnlyList<ActivationData> Workers => Volatile.Read(ref _workers);

    /// <summary>Runs a call on an idle worker, a new one, or the least-loaded one.</summary>
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(TRequest request, CancellationToken cancellationToken)
    {
        var workers = Volatile.Read(ref _workers);
        var live = 0;
        ActivationData? leastLoaded = null;
        var leastLoad = int.MaxValue;
        for (var i = 0; i < workers.Length; i++)
        {
            var worker = workers[i];
            if (worker.IsEnding)
            {
                continue;
            }

            // The lock-free hint first, so a pool of busy workers costs no lock per worker.
            if (worker.IsIdle && worker.TryInvokeIfIdle<TRequest, TResponse>(request, cancellationToken, out var pending))
            {
                return pending;
            }

            live++;
            var load = worker.Load;
            if (load < leastLoad)
            {
                leastLoaded = worker;
                leastLoad = load;
            }
        }

        if (leastLoaded is not null && live >= MaxWorkers)
        {
            // A full pool of busy workers (the steady state of a hot route) cannot grow, so no lock is needed to choose.
            return leastLoaded.InvokeAsync<TRequest, TResponse>(request, cancellationToken);
        }

        ActivationData? chosen;
        try
        {
            chosen = Choose();
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<TResponse>(ex);
        }

        return chosen is null
            ? _catalog.InvokeAsync<TRequest, TResponse>(GrainId, request, cancellationToken)
            : chosen.InvokeAsync<TRequest, TResponse>(request, cancellationToken);
    }

    /// <summary>Gives a queued request whose worker went away to another worker of the pool.</summary>
    public void Enqueue(ActivationWorkItem item)
    {
        ActivationData? chosen;
        try
        {
            chosen = Choose();
        }
        catch (Exception ex)
        {
            item.Fail(ex);
            return;
        }

        if (chosen is null)
        {
            _catalog.Reroute(item, GrainId);
        }
        else
        {
            chosen.Enqueue(item);
        }
    }

    /// <summary>Forgets a worker that ended; the pool retires with its last worker.</summary>
    public void Remove(ActivationData worker)
    {
        lock (_lock)
        {
            var workers = _workers;
            var index = Array.IndexOf(workers, worker);
            if (index < 0)
            {
                return;
            }

            var remaining = new ActivationData[workers.Length - 1];
            Array.Copy(workers, remaining, index);
            Array.Copy(workers, index + 1, remaining, index, remaining.Length - index);
            Volatile.Write(ref _workers, remaining);
            if (remaining.Length == 0)
            {
                // Under the lock: whoever sees the pool retired also finds it gone from the catalog.
                _retired = true;
                _catalog.RemovePool(this);
            }
        }
    }

    /// <summary>
    /// Under the pool's lock: an idle worker, else a new worker if the pool has room, else the least-loaded worker; null
    /// when the pool is retired.
    /// </summary>
    /// <exception cref="SiloUnavailableException">A worker was needed but the silo is deactivating everything.</exception>
    private ActivationData? Choose()
    {
        ActivationData? created;
        lock (_lock)
        {
            if (_retired)
            {
                return null;
            }

            var live = 0;
            ActivationData? leastLoaded = null;
            var leastLoad = int.MaxValue;
            foreach (var worker in _workers)
            {
                if (worker.IsEnding)
                {
                    continue;
                }

                if (worker.IsIdle)
                {
                    return worker;
                }

                live++;
                var load = worker.Load;
                if (load < leastLoad)
                {
                    leastLoaded = worker;
                    leastLoad = load;
                }
            }

            if (live >= MaxWorkers)
            {
                return leastLoaded;
            }

            if (_catalog.IsClosed)
            {
                throw new SiloUnavailableException();
            }

            created = new ActivationData(GrainId, _registration, _catalog, this);
            Volatile.Write(ref _workers, [.. _workers, created]);
        }

        if (_catalog.IsClosed)
        {
            // Added while the silo closed the catalog: its deactivation may have missed this one, so end it here.
            _ = created.DeactivateAsync(DeactivationReason.ShuttingDown, CancellationToken.None);
            throw new SiloUnavailableException();
        }

        created.EnsureActivationStarted();
        return created;
    }
}
