namespace Cluster.Runtime;

/// <summary>
/// The connection to the silo running a call failed after the request was sent, so its outcome is unknown. The runtime
/// never re-sends such a call (at-most-once); the caller decides (the gateway answers 503).
/// </summary>
public sealed class SiloConnectionLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SiloConnectionLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SiloConnectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
