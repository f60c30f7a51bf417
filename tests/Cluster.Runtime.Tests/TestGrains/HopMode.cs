namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>How a <see cref="HopGrain"/> makes its call to the next key.</summary>
public enum HopMode
{
    /// <summary>A plain call.</summary>
    Plain = 0,

    /// <summary>Inside a call-chain reentrancy scope.</summary>
    InScope = 1,

    /// <summary>Opens a scope, disposes it, then makes a plain call (the id must not leak).</summary>
    AfterScope = 2,
}
