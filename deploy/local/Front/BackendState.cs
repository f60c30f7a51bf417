namespace Cluster.LocalFront;

/// <summary>One listed gateway and what its last readiness probe said.</summary>
internal sealed class BackendState(Uri address)
{
    private volatile bool _ready;

    public Uri Address { get; } = address;

    public bool Ready
    {
        get => _ready;
        set => _ready = value;
    }
}
