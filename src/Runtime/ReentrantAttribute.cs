namespace Cluster.Runtime;

/// <summary>
/// Marks a grain class whose requests may all interleave: no request of it ever blocks another. Unlike Orleans, where
/// interleaved turns still run one at a time on the activation's scheduler, interleaved requests here run truly in
/// parallel on the thread pool, so a reentrant grain's shared state must be thread-safe (or immutable after
/// <see cref="Grain.OnActivateAsync"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class ReentrantAttribute : Attribute;
