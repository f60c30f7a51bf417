namespace Cluster.Runtime;

/// <summary>
/// Marks a request type that does not change the grain's state: read-only requests may overlap with each other but
/// never with any other request (a write waits for every running read, and reads wait for a running write).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class ReadOnlyAttribute : Attribute;
