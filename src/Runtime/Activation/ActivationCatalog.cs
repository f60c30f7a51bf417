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
/// </summary>
internal sealed class ActivationCatalog
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
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

    /// <summary>The number of activations (any state but gone).</summary>
    public int Count => _activations.Count;

    /// <summary>The activations now (a snapshot).</summary>
    public ICollection<ActivationData> Activations => _activations.Values;

    /// <summary>Whether the catalog refuses new activations (the silo is deactivating everything).</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public bool TryGet(GrainId grainId, [NotNullWhen(true)] out ActivationData? activation)
        => _activations.TryGetValue(grainId, out activation);

    /// <summary>Calls a grain, activating it first if needed.</summary>
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, CancellationToken cancellationToken)
    {
        if (!_activations.TryGetValue(grainId, out var activation))
        {
            try
            {
                activation = GetOrCreateSlow(grainId);
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<TResponse>(ex);
            }
        }

        return activation.InvokeAsync<TRequest, TResponse>(request, cancellationToken);
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
        => _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    /// <summary>Completes when no activation has a running or waiting request.</summary>
    public Task WhenAllIdleAsync() => Task.WhenAll(_activations.Values.Select(static a => a.WhenIdleAsync()));

    /// <summary>Refuses new activations, then deactivates every activation.</summary>
    public Task DeactivateAllAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _closed, 1);
        return Task.WhenAll(_activations.Values.Select(a => a.DeactivateAsync(reason, cancellationToken)));
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
