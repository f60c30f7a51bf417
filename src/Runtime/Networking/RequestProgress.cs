namespace Cluster.Runtime.Networking;

/// <summary>What a status report says a long request is doing.</summary>
internal enum RequestProgress : byte
{
    /// <summary>Its grain is running it.</summary>
    Executing = 1,

    /// <summary>It waits in its grain's queue behind other requests (or for the activation).</summary>
    Waiting = 2,
}
