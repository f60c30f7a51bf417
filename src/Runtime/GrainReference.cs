using Cluster.Runtime.Identity;
using Cluster.Runtime.Messaging;

namespace Cluster.Runtime;

/// <summary>
/// A grain's address for callers: its id and the invoker that reaches it. A value type, so holding or creating one
/// allocates nothing; it stays valid across activations and silo restarts.
/// </summary>
public readonly struct GrainReference : IEquatable<GrainReference>
{
    private readonly IGrainCallInvoker _invoker;

    /// <summary>Creates a reference (the grain factory does this).</summary>
    public GrainReference(GrainId grainId, IGrainCallInvoker invoker)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        if (grainId.IsDefault)
        {
            throw new ArgumentException("A grain reference needs a grain id.", nameof(grainId));
        }

        GrainId = grainId;
        _invoker = invoker;
    }

    /// <summary>The grain's id.</summary>
    public GrainId GrainId { get; }

    /// <summary>
    /// Sends a request to the grain, activating it first if needed. The grain must implement
    /// <see cref="IGrainHandler{TRequest, TResponse}"/> for exactly these type arguments.
    /// </summary>
    /// <exception cref="SiloUnavailableException">The silo is shutting down; the request did not start.</exception>
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(TRequest request, CancellationToken cancellationToken = default)
    {
        if (_invoker is null)
        {
            ThrowDefault();
        }

        return _invoker.InvokeAsync<TRequest, TResponse>(GrainId, request, cancellationToken);
    }

    /// <inheritdoc />
    public bool Equals(GrainReference other) => GrainId.Equals(other.GrainId);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => GrainId.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => GrainId.ToString();

    /// <summary>Same grain id.</summary>
    public static bool operator ==(GrainReference left, GrainReference right) => left.Equals(right);

    /// <summary>Different grain ids.</summary>
    public static bool operator !=(GrainReference left, GrainReference right) => !left.Equals(right);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowDefault()
        => throw new InvalidOperationException("This grain reference is default; get one from IGrainFactory.GetGrain.");
}
