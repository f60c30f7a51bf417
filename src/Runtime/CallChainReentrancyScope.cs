using Cluster.Runtime.Activation;

namespace Cluster.Runtime;

/// <summary>
/// A call-chain reentrancy scope opened by <see cref="RequestContext.AllowCallChainReentrancy"/>. Disposing it restores
/// the flow's previous call-chain id and stops the grain that opened it from admitting the chain.
/// </summary>
public sealed class CallChainReentrancyScope : IDisposable
{
    private readonly long _previous;
    private readonly ActivationData? _activation;
    private int _disposed;

    internal CallChainReentrancyScope(long id, long previous, ActivationData? activation)
    {
        CallChainId = id;
        _previous = previous;
        _activation = activation;
    }

    /// <summary>The call-chain id the calls made inside the scope carry.</summary>
    public long CallChainId { get; }

    /// <summary>Ends the scope (once; later calls do nothing).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        RequestContext.SetCallChainId(_previous);
        _activation?.ExitCallChain(CallChainId);
    }
}
