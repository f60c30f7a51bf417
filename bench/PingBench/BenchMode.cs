namespace Cluster.PingBench;

/// <summary>What a call goes through.</summary>
internal enum BenchMode
{
    /// <summary>
    /// A real grain call: <c>IGrainFactory</c> on a cluster client → placement → the cluster invoker → the transport →
    /// the silo's ownership check → the activation catalog → a grain turn, and back.
    /// </summary>
    Runtime,

    /// <summary><c>IClusterTransport.InvokeAsync</c> straight against an echo handler: the transport's own figure.</summary>
    Transport,
}
