using Cluster.Runtime.Activation;

namespace Cluster.Runtime;

/// <summary>
/// Ambient state that travels with grain calls (orleans-runtime.md §3.9). Today it carries one thing: the call-chain id
/// that lets a chain of calls re-enter the non-reentrant grains it is waiting in (§3.4, §3.6).
/// </summary>
public static class RequestContext
{
    // A value type in an AsyncLocal is boxed only when it is set (a scope opens or closes, a chained request arrives);
    // reading it on every outgoing call allocates nothing.
    private static readonly AsyncLocal<long> s_callChainId = new();

    /// <summary>
    /// Opens a call-chain reentrancy scope: every grain call made inside it — and every call those calls make in turn,
    /// in this silo or others — carries one call-chain id, and a non-reentrant grain that is waiting inside the chain
    /// (its turn opened the scope, or is itself running a request of the chain) admits the chain's requests instead of
    /// queueing them behind itself. Without it a cycle of non-reentrant grains (A → B → A) waits until the response
    /// timeout, as in Orleans. Inside an existing chain the scope reuses its id. Dispose it to end the scope: calls made
    /// afterwards carry the previous id (none outside any scope), and the grain no longer admits the chain.
    /// </summary>
    /// <returns>The scope; dispose it in the same asynchronous flow that opened it (a <c>using</c> block).</returns>
    public static CallChainReentrancyScope AllowCallChainReentrancy()
    {
        var previous = s_callChainId.Value;
        var id = previous != 0 ? previous : NewCallChainId();
        s_callChainId.Value = id;

        // The section is entered in the activation whose blocking (or read-only) turn this code runs in, if any.
        var activation = ActivationData.CurrentTurn;
        activation?.EnterCallChain(id);
        return new CallChainReentrancyScope(id, previous, activation);
    }

    /// <summary>The call-chain id of the current flow; 0 outside any chain.</summary>
    internal static long CallChainId => s_callChainId.Value;

    /// <summary>Sets the call-chain id of the current flow (a scope closing, or a chained request arriving).</summary>
    internal static void SetCallChainId(long id) => s_callChainId.Value = id;

    private static long NewCallChainId()
    {
        // Random across processes (a chain spans silos); 0 means "none".
        long id;
        do
        {
            id = Random.Shared.NextInt64();
        }
        while (id == 0);

        return id;
    }
}
