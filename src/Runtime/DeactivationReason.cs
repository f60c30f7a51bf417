namespace Cluster.Runtime;

/// <summary>Why an activation ends (passed to <see cref="Grain.OnDeactivateAsync"/>).</summary>
public enum DeactivationReason
{
    /// <summary>No reason given.</summary>
    None,

    /// <summary>The activation was idle for longer than the collection age.</summary>
    ActivationIdle,

    /// <summary>The grain asked for it (<c>DeactivateOnIdle</c>).</summary>
    ApplicationRequested,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,

    /// <summary>Another activation of the same grain won registration (multi-silo directory; a later issue).</summary>
    DuplicateActivation,

    /// <summary>The grain directory lost the registration (multi-silo directory; a later issue).</summary>
    DirectoryFailure,

    /// <summary>The activation is moving to another silo (a later issue).</summary>
    Migrating,

    /// <summary>A request ran for longer than allowed and the activation was abandoned (a later issue).</summary>
    Stuck,

    /// <summary>The membership changed and another silo owns the grain now; the next call activates it there.</summary>
    OwnerChanged,
}
