namespace Cluster.Runtime.Activation;

/// <summary>The life of an activation (orleans-runtime.md §3.1). It only moves forward.</summary>
internal enum ActivationState
{
    /// <summary>In the catalog, activation not started yet.</summary>
    Creating,

    /// <summary><see cref="Grain.OnActivateAsync"/> is running; requests queue.</summary>
    Activating,

    /// <summary>Serving requests.</summary>
    Valid,

    /// <summary>No new turn starts; running turns finish, then <see cref="Grain.OnDeactivateAsync"/> runs. Requests queue and move to the next activation.</summary>
    Deactivating,

    /// <summary>Gone from the catalog; a caller that still holds it goes back to the catalog.</summary>
    Invalid,
}
