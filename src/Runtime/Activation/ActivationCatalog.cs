using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Cluster.Runtime.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Activation;

/// <summary>
/// The silo's activations by grain id: at most one per id. A lookup of an existing activation is a lock-free
/// dictionary read; a first call adds an activation with <see cref="ConcurrentDictionary{TKey, TValue}.GetOrAdd{TArg}"/>
/// and only the instance that won the add is ever activated, so concurrent first calls share one activation.
/// In a cluster, placement decides ownership before this point and <see cref="IActivationAdmission"/> refuses to
/// create activations of grains another silo owns; the catalog stays the local half.
/// <para>
/// Stateless workers (<see cref="StatelessWorkerAttribute"/>) are the exception: a grain id of such a type has a
/// <see cref="StatelessWorkerPool"/> of activations here, kept apart from the single activations so the lookup of an
/// ordinary grain stays one dictionary read. <see cref="Count"/>, <see cref="Activations"/>, the idle wait and the
/// shutdown include every worker.
/// </para>
/// </summary>
internal sealed class ActivationCatalog
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly ConcurrentDictionary<GrainId, StatelessWorkerPool> _pools = new();
    private readonly GrainTypeRegistry _registry;
    private readonly IActivationAdmission? _admission;
    private int _closed;

    public ActivationCatalog(
        GrainTypeRegistry registry,
        IServiceProvider services,
        IOptions<GrainCollectionOptions> collectionOptions,
        TimeProvider timeProvider,
        ILogger<ActivationCatalog> logger,
        IActivationAdmission? admission = null)
    {
        _registry = registry;
        _admission = admission;
        Services = services;
        CollectionOptions = collectionOptions.Value;
        TimeProvider = timeProvider;
        Logger = logger;
    }

    public IServiceProvider Services { get; }

    public GrainCollectionOptions CollectionOptions { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    /// <summary>The number of activations (any state but gone), stateless workers included.</summary>
    public int Count
    {
        get
        {
            var count = _activations.Count;
            if (!_pools.IsEmpty)
            {
                foreach (var pool in _pools.Values)
                {
                    count += pool.Workers.Count;
                }
            }

            return count;
        }
    }

    /// <summary>The activations now, stateless workers included (a snapshot).</summary>
    public IReadOnlyCollection<ActivationData> Activations
    {
        get
        {
            var all = new List<ActivationData>(_activations.Values);
            foreach (var pool in _pools.Values)
            {
                all.AddRange(pool.Workers);
            }

            return all;
        }
    }

    /// <summary>
    /// Requests waiting in the activations' queues now, stateless workers included: the sum of each activation's
    /// <see cref="ActivationData.QueueLength"/>, read without any lock (for the queue gauge, at scrape time).
    /// </summary>
    public int QueuedRequests
    {
        get
        {
            var queued = 0;
            foreach (var (_, activation) in _activations)
            {
                queued += activation.QueueLength;
            }

            foreach (var (_, pool) in _pools)
            {
                foreach (var worker in pool.Workers)
                {
                    queued += worker.QueueLength;
                }
            }

            return queued;
        }
    }

    /// <summary>Whether the catalog refuses new activations (the silo is deactivating everything).</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>The single activation of an ordinary grain (stateless workers are found with <see cref="TryGetPool"/>).</summary>
    public bool TryGet(GrainId grainId, [NotNullWhen(true)] out ActivationData? activation)
        => _activations.TryGetValue(grainId, out activation);

    /// <summary>The worker pool of a stateless-worker grain, while it has workers.</summary>
    public bool TryGetPool(GrainId grainId, [NotNullWhen(true)] out StatelessWorkerPool? pool)
        => _pools.TryGetValue(grainId, out pool);

    /// <summary>Calls a grain, activating it first if needed.</summary>
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, CancellationToken cancellationToken)
    {
        // The hot path: an ordinary grain that is already active is one dictionary read away.
        if (_activations.TryGetValue(grainId, out var activation))
        {
            return activation.InvokeAsync<TRequest, TResponse>(request, cancellationToken);
        }

        return InvokeSlow<TRequest, TResponse>(grainId, request, cancellationToken);
    }

    /// <summary>Sends a queued request whose activation went away to the grain's next activation.</summary>
    public void Reroute(ActivationWorkItem item, GrainId grainId)
    {
        if (IsClosed)
        {
            item.Fail(new SiloUnavailableException());
            return;
        }

        ActivationData activation;
        try
        {
            if (TryGetWorkerPool(grainId) is { } pool)
            {
                pool.Enqueue(item);
                return;
            }

            activation = GetOrCreateSlow(grainId);
        }
        catch (Exception ex)
        {
            item.Fail(ex);
            return;
        }

        activation.Enqueue(item);
    }

    /// <summary>Forgets an activation that is ending; a newer activation of the same grain is left alone.</summary>
    public void Remove(ActivationData activation)
    {
        if (activation.Pool is { } pool)
        {
            pool.Remove(activation);
            return;
        }

        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));
    }

    /// <summary>Forgets a pool whose last worker ended; a newer pool of the same grain is left alone.</summary>
    public void RemovePool(StatelessWorkerPool pool)
        => _pools.TryRemove(new KeyValuePair<GrainId, StatelessWorkerPool>(pool.GrainId, pool));

    /// <summary>Completes when no activation (stateless workers included) has a running or waiting request.</summary>
    public Task WhenAllIdleAsync() => Task.WhenAll(Activations.Select(static a => a.WhenIdleAsync()));

    /// <summary>Refuses new activations, then deactivates every activation (stateless workers included).</summary>
    public Task DeactivateAllAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _closed, 1);
        return Task.WhenAll(Activations.Select(a => a.DeactivateAsync(reason, cancellationToken)));
    }

    private ValueTask<TResponse> InvokeSlow<TRequest, TResponse>(GrainId grainId, TRequest request, CancellationToken cancellationToken)
    {
        ActivationData activation;
        try
        {
            if (TryGetWorkerPool(grainId) is { } pool)
            {
                return pool.InvokeAsync<TRequest, TResponse>(request, cancellationToken);
            }

            activation = GetOrCreateSlow(grainId);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<TResponse>(ex);
        }

        return activation.InvokeAsync<TRequest, TResponse>(request, cancellationToken);
    }

    /// <summary>The pool of <paramref name="grainId"/> if its type is a stateless worker (created on first use), else null.</summary>
    private StatelessWorkerPool? TryGetWorkerPool(GrainId grainId)
    {
        if (_pools.TryGetValue(grainId, out var pool))
        {
            return pool;
        }

        if (!_registry.TryGet(grainId.Type, out var registration) || !registration.IsStatelessWorker)
        {
            return null;
        }

        if (IsClosed)
        {
            throw new SiloUnavailableException();
        }

        // No admission check: a stateless worker has no owner, so every silo may keep a pool of it.
        return _pools.GetOrAdd(
            grainId,
            static (id, state) => new StatelessWorkerPool(id, state.Registration, state.Catalog),
            (Registration: registration, Catalog: this));
    }

    private ActivationData GetOrCreateSlow(GrainId grainId)
    {
        if (IsClosed)
        {
            throw new SiloUnavailableException();
        }

        if (_admission is not null && !_admission.MayActivate(grainId))
        {
            // Another silo owns the grain in this silo's view (e.g. a queued request of an activation that is leaving
            // because ownership moved): refuse unstarted so the caller sends it to the owner.
            throw new SiloUnavailableException($"This silo does not own {grainId} in its membership view; the call did not start.");
        }

        var registration = _registry.Get(grainId.Type);
        var activation = _activations.GetOrAdd(
            grainId,
            static (id, state) => new ActivationData(id, state.Registration, state.Catalog),
            (Registration: registration, Catalog: this));

        if (IsClosed)
        {
            // Added while the silo closed the catalog: it may have missed this one, so end it here.
            _ = activation.DeactivateAsync(DeactivationReason.ShuttingDown, CancellationToken.None);
            throw new SiloUnavailableException();
        }

        activation.EnsureActivationStarted();
        return activation;
    }
}
